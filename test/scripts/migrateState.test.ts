import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ApprovalService } from '../../src/scheduleApprovals/approvalService';
import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import { WatchStore } from '../../src/notifications/watchStore';
import { openBotDatabase } from '../../src/storage/database';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { migrateState } from '../../scripts/migrateState';
import { ensureBuilt, ROOT } from '../helpers/build';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { tempDataDir } from '../helpers/harness';
import { azureBackend } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const KEY = { projectName: 'AccSync', conversationId: '19:general' };
const DATAFLOW = { dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', conversationId: '19:general' };
const ENV = { name: 'env-1', displayName: 'Contoso', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const reference = (id: string) => ({ conversationId: id, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversationType: 'personal', reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id } } });

/** A SQLite state as a running installation leaves it: a decided approval, a watch with reported runs, references, an open dialog. */
async function seed(dataDir: string): Promise<string> {
  const stores = openSqliteStateStores(dataDir);
  const approvals = new ApprovalService({ store: stores.approvals, ttlHours: 72, policy: { approvers: [BOB.aadObjectId], allowSelfApproval: false } });
  const outcome = await approvals.request({ projectName: 'AccSync', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general' }, new FakeIntegration().addProject('AccSync').client);
  if (outcome.kind !== 'requested') throw new Error(outcome.kind);
  await approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'card-1' });
  await approvals.decide(outcome.request.id, BOB, 'approve', 'ok');
  await new WatchStore(stores.watches).watch({ ...KEY, owner: ADA });
  await stores.watches.markReported(KEY, ['e1', 'e2'], new Date().toISOString());
  await new DataflowWatchStore(stores.dataflowWatches).watch({ ...DATAFLOW, dataflowName: 'Accounts', environment: ENV, owner: ADA, notifyLevel: 'failures', speaks: { locale: 'de-DE' }, threadActivityId: 'thread-1' });
  await stores.dataflowWatches.markReported(DATAFLOW, ['r1', 'r2', 'r3'], '2026-12-01T10:00:00.000Z');
  await stores.dataflowWatches.advanceCursor(ENV.name, '2026-12-06T09:00:00.000Z');
  await stores.refs.save(reference('a:ada'));
  await stores.refs.save(reference('a:bob'));
  await stores.refs.markWelcomed('a:ada');
  await stores.storage.write({ 'msteams/conversations/19:general/users/29:ada': { setupDialogState: { dialogStack: [] } } });
  await stores.close();
  return outcome.request.id;
}

describe('npm run migrate-state -- --to azure', () => {
  const backend = azureBackend();
  afterAll(() => backend.stop());

  test('copies references, approvals with their trail, watches and reported runs, dataflow watches with their reported refreshes and cursors; a second copy duplicates nothing', async () => {
    const dataDir = tempDataDir();
    const requestId = await seed(dataDir);
    const { stores } = await backend.open();
    const db = openBotDatabase(dataDir);
    const first = await migrateState(db, stores);
    expect(first).toEqual({ references: 2, approvals: 1, auditEntries: 2, watches: 1, reportedRuns: 2, dataflowWatches: 1, reportedRefreshes: 3, dataflowCursors: 1, droppedDialogStates: 1 });
    await migrateState(db, stores);
    db.close();

    expect((await stores.approvals.history('AccSync')).map((e) => e.action)).toEqual(['approved', 'requested']);
    expect(await stores.approvals.get(requestId)).toMatchObject({ status: 'approved', decidedBy: BOB, comment: 'ok' });
    expect(await stores.approvals.cards(requestId)).toEqual([{ conversationId: '19:general', activityId: 'card-1' }]);
    expect(await stores.approvals.decide(requestId, { status: 'rejected', by: BOB, at: new Date().toISOString() })).toBe(false);
    expect((await stores.watches.list()).map((w) => w.projectName)).toEqual(['AccSync']);
    expect([...(await stores.watches.reported(KEY, ['e1', 'e2', 'e3']))].sort()).toEqual(['e1', 'e2']);
    // The dataflow watch as it was (level, language, thread), its refreshes never alerted again, the environment read from where it was.
    expect(await stores.dataflowWatches.list()).toEqual([expect.objectContaining({ ...DATAFLOW, dataflowName: 'Accounts', notifyLevel: 'failures', speaks: { locale: 'de-DE' }, threadActivityId: 'thread-1' })]);
    expect([...(await stores.dataflowWatches.reported(DATAFLOW, ['r1', 'r2', 'r3', 'r4']))].sort()).toEqual(['r1', 'r2', 'r3']);
    expect(await stores.dataflowWatches.cursor(ENV.name)).toBe('2026-12-06T09:00:00.000Z');
    expect(await stores.dataflowWatches.pruneReports('2026-12-02T00:00:00.000Z')).toBe(3); // each kept its reported time
    expect((await stores.refs.list()).map((r) => r.conversationId).sort()).toEqual(['a:ada', 'a:bob']);
    expect(await stores.refs.markWelcomed('a:ada')).toBe(false); // welcomed before the move: not welcomed again
    expect(await stores.refs.markWelcomed('a:bob')).toBe(true);
  }, 60_000);

  test('the command prints what it copied, and names the missing key when there is no storage account', async () => {
    ensureBuilt();
    const dataDir = tempDataDir();
    await seed(dataDir);
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(await backend.env()) };
    const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/scripts/migrateState.js'), '--to', 'azure'], { env }).toString();
    expect(out).toContain('Copied 2 conversation references, 1 approvals (2 audit entries), 1 watches and 2 reported runs, 1 dataflow watches (3 reported refreshes, 1 environment cursors). 1 open dialog state(s) were not copied');
    let failure = '';
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'dist/scripts/migrateState.js'), '--to', 'azure'], { env: { PATH: process.env.PATH, DATA_DIR: dataDir }, stdio: 'pipe' });
    } catch (err) {
      failure = String((err as { stderr: Buffer }).stderr);
    }
    expect(failure).toContain('AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL: required when STATE_STORE=azure');
    expect(out + failure).not.toContain('AccountKey');
  }, 120_000);
});
