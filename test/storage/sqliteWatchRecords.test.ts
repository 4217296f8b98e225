import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import { WatchStore } from '../../src/notifications/watchStore';
import { openBotDatabase } from '../../src/storage/database';
import { SqliteDataflowWatchRecords } from '../../src/storage/sqlite/sqliteDataflowWatchRecords';
import { SqliteWatchRecords } from '../../src/storage/sqlite/sqliteWatchRecords';
import { tempDataDir } from '../helpers/harness';

const KEY = { projectName: 'AccSync', conversationId: '19:general' };
const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin' };
const WATCH = { ...KEY, owner: OWNER, notifyLevel: 'all', since: '2025-03-01T09:00:00.000Z' };
const DATAFLOW_KEY = { dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', conversationId: '19:general' };
const DATAFLOW_WATCH = {
  ...DATAFLOW_KEY, owner: OWNER, notifyLevel: 'all', since: '2025-03-01T09:00:00.000Z', dataflowName: 'Accounts',
  environment: { name: 'env-1', displayName: 'Contoso', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' },
};

describe('SQLite watch records', () => {
  test('a database from before watch versions opens with its watches, which then change only over the version read', async () => {
    // The file as the release before project watch versions wrote it: no version columns, schema at 6, one watch of each kind.
    const dataDir = tempDataDir();
    const old = openBotDatabase(dataDir);
    old.exec('ALTER TABLE run_watches DROP COLUMN version; ALTER TABLE dataflow_watches DROP COLUMN version');
    old.exec('DROP INDEX schedule_approvals_follow_up; ALTER TABLE schedule_approvals DROP COLUMN follow_up'); // a later migration
    old.pragma('user_version = 6');
    old.prepare('INSERT INTO run_watches (project_name, conversation_id, body) VALUES (?, ?, ?)').run(KEY.projectName, KEY.conversationId, JSON.stringify(WATCH));
    old.prepare('INSERT INTO dataflow_watches (dataflow_id, conversation_id, body) VALUES (?, ?, ?)').run(DATAFLOW_KEY.dataflowId, DATAFLOW_KEY.conversationId, JSON.stringify(DATAFLOW_WATCH));
    old.close();

    const db = openBotDatabase(dataDir);
    const records = new SqliteWatchRecords(db);
    const read = await records.get(KEY);
    expect(read?.watch).toMatchObject({ owner: { name: 'Ada Admin' } });
    await new WatchStore(records).addPendingRun(KEY, { executionId: 'e1', activityId: 'card-1' });
    expect(await records.put({ ...read!.watch, notifyLevel: 'mute' }, read!.version)).toBe(false);
    expect(await records.put({ ...read!.watch, notifyLevel: 'mute' }, undefined)).toBe(false);
    expect((await records.get(KEY))?.watch).toMatchObject({ notifyLevel: 'all', pendingRuns: [{ executionId: 'e1' }] });

    // Dataflow watches the same way (issue 27's watches got their version after the project watches did).
    const dataflows = new SqliteDataflowWatchRecords(db);
    const readDataflow = await dataflows.get(DATAFLOW_KEY);
    expect(readDataflow?.watch).toMatchObject({ dataflowName: 'Accounts' });
    await new DataflowWatchStore(dataflows).setNotifyLevel(DATAFLOW_KEY, 'failures');
    expect(await dataflows.put({ ...readDataflow!.watch, notifyLevel: 'mute' }, readDataflow!.version)).toBe(false);
    expect(await dataflows.put({ ...readDataflow!.watch, notifyLevel: 'mute' }, undefined)).toBe(false);
    expect(await dataflows.remove(DATAFLOW_KEY, readDataflow!.version)).toBe(false);
    expect((await dataflows.get(DATAFLOW_KEY))?.watch).toMatchObject({ notifyLevel: 'failures' });
    db.close();
  });
});
