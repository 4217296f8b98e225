import type { TableClient } from '@azure/data-tables';
import { createLogger } from '../../src/logger';
import { type DataflowWatchKey, DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { type WatchKey, WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import { all, azureTarget, tableClient } from '../../src/storage/azure/azureTarget';
import { TableDataflowWatchRecords } from '../../src/storage/azure/tableDataflowWatchRecords';
import { TableWatchRecords } from '../../src/storage/azure/tableWatchRecords';
import { type BotDatabase, openBotDatabase } from '../../src/storage/database';
import { SqliteDataflowWatchRecords } from '../../src/storage/sqlite/sqliteDataflowWatchRecords';
import { SqliteWatchRecords } from '../../src/storage/sqlite/sqliteWatchRecords';
import { freshPrefix, startAzurite } from '../helpers/azurite';
import { cardText } from '../helpers/cardWalk';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { tempDataDir } from '../helpers/harness';

// During a slot swap or a rolling update (docs/deploy.md), and after a roll-back, this release changes watches that a
// newer release stored with fields this one does not know. Each test writes such a row straight into the store, as
// that release would, lets this release change the watch, and reads the row back as the newer release would.

const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const RUN_KEY: WatchKey = { projectName: 'AccSync', conversationId: '19:general' };
const ENV = { name: '7d4e9a1b-2c3f-4b5a-8e6d-0f1a2b3c4d5e', displayName: 'Contoso CDS', instanceUrl: 'https://contosocds.crm.dynamics.com/', instanceApiUrl: 'https://contosocds.api.crm.dynamics.com/' };
const FLOW_KEY: DataflowWatchKey = { dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', conversationId: '19:general' };

/** Fields a newer release added: on the watch, in a run pending on its card, in a "Run now" claim, in a dataflow's environment. */
const NEWER = { quietHours: { from: '22:00', to: '06:00' }, seenEnds: { r0: iso(1) } };
const NEWER_RUN = { executionId: 'r0', activityId: 'card-0', startedAt: iso(0), shownBy: 'web-2' };
const NEWER_CLAIM = { by: 'start-on-web-2', until: iso(60), instance: 'web-2' };

type Body = Record<string, unknown>;
/** A backend's watch records, and the raw rows under them: read, and written over as a newer release writes them. */
interface Rig {
  runs: SqliteWatchRecords | TableWatchRecords;
  flows: SqliteDataflowWatchRecords | TableDataflowWatchRecords;
  row(kind: 'run' | 'flow'): Promise<Body>;
  writeAsNewer(kind: 'run' | 'flow', change: (body: Body) => Body): Promise<void>;
  close(): Promise<void>;
}

async function sqliteRig(): Promise<Rig> {
  const db: BotDatabase = openBotDatabase(tempDataDir());
  const where = { run: 'run_watches WHERE conversation_id = ? AND project_name = ?', flow: 'dataflow_watches WHERE conversation_id = ? AND dataflow_id = ?' };
  const ids = (kind: 'run' | 'flow') => [RUN_KEY.conversationId, kind === 'run' ? RUN_KEY.projectName : FLOW_KEY.dataflowId];
  const row = async (kind: 'run' | 'flow') => JSON.parse((db.prepare(`SELECT body FROM ${where[kind]}`).get(...ids(kind)) as { body: string }).body) as Body;
  return {
    runs: new SqliteWatchRecords(db),
    flows: new SqliteDataflowWatchRecords(db),
    row,
    writeAsNewer: async (kind, change) => {
      db.prepare(`UPDATE ${where[kind].replace(' WHERE', ' SET body = ?, version = version + 1 WHERE')}`).run(JSON.stringify(change(await row(kind))), ...ids(kind));
    },
    close: async () => { db.close(); },
  };
}

async function azureRig(): Promise<Rig> {
  const table: TableClient = tableClient(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: (await startAzurite()).connectionString, AZURE_STATE_PREFIX: freshPrefix() }), 'watches');
  await table.createTable();
  const entity = async (kind: 'run' | 'flow') => {
    const rows = await all(table.listEntities<{ body: string }>({ queryOptions: { filter: `kind eq '${kind === 'run' ? 'watch' : 'dataflowWatch'}'` } }));
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  return {
    runs: new TableWatchRecords(table),
    flows: new TableDataflowWatchRecords(table),
    row: async (kind) => JSON.parse((await entity(kind)).body) as Body,
    writeAsNewer: async (kind, change) => {
      const e = await entity(kind);
      await table.updateEntity({ partitionKey: e.partitionKey!, rowKey: e.rowKey!, body: JSON.stringify(change(JSON.parse(e.body) as Body)) }, 'Merge', { etag: e.etag });
    },
    close: async () => undefined,
  };
}

class Sender {
  posts: string[] = [];
  updates: Array<{ activityId: string; text: string }> = [];
  async send(_target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    this.posts.push(cardText(activity.attachments?.[0]?.content));
    return { status: 'sent', activityId: `m${this.posts.length}`, threadId: `m${this.posts.length}` };
  }
  async update(_c: string, activityId: string, activity: OutboundActivity): Promise<DeliveryResult> {
    this.updates.push({ activityId, text: cardText(activity.attachments?.[0]?.content) });
    return { status: 'sent', activityId };
  }
}

describe.each([['sqlite', sqliteRig], ['azure', azureRig]] as const)('a watch a newer release stored, changed by this release, on %s', (_, rigOf) => {
  let rig: Rig;
  let now: Date;
  beforeEach(async () => {
    rig = await rigOf();
    now = new Date(T0);
  });
  afterEach(async () => { await rig.close(); });

  test('a run watch keeps the newer fields (its own, a pending run\'s, a claim\'s) through "Run now", bookkeeping, a level change, the conversation gone and back', async () => {
    const watches = new WatchStore(rig.runs, () => now);
    await watches.watch({ ...RUN_KEY, owner: OWNER });
    await rig.writeAsNewer('run', (w) => ({ ...w, ...NEWER, pendingRuns: [NEWER_RUN], runStarts: [NEWER_CLAIM] }));

    await watches.claimRunStart(RUN_KEY, 'start-1');
    await watches.addPendingRun(RUN_KEY, { executionId: 'r1', activityId: 'card-1' }, 'start-1');
    await watches.update(RUN_KEY, { longRunNoted: 'r0', stalledAt: iso(2) });
    await watches.setNotifyLevel(RUN_KEY, 'failures');
    await watches.removePendingRun(RUN_KEY, 'r1');
    await watches.markConversationGone(RUN_KEY.conversationId);
    await watches.reviveConversation(RUN_KEY.conversationId);
    await watches.watch({ ...RUN_KEY, owner: OWNER }, { keep: true });

    const row = await rig.row('run');
    expect(row).toMatchObject({ ...NEWER, notifyLevel: 'failures', longRunNoted: 'r0', stalledAt: iso(2), pendingRuns: [NEWER_RUN], runStarts: [NEWER_CLAIM] });
    expect(row.goneAt).toBeUndefined();
    expect((await watches.active()).map((w) => w.projectName)).toEqual(['AccSync']);
  });

  test('the watcher tells a "Run now" result on its card and a scheduled run in the thread, once each, in no text of the newer fields, and keeps them', async () => {
    const watches = new WatchStore(rig.runs, () => now);
    await watches.watch({ ...RUN_KEY, owner: OWNER });
    await rig.writeAsNewer('run', (w) => ({ ...w, ...NEWER, pendingRuns: [NEWER_RUN] }));
    const di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' });
    di.addRun('AccSync', { id: 'r0', startedAt: iso(0), endedAt: iso(1) });
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0.5), endedAt: iso(1) });
    now = new Date(T0 + 90_000);
    const sender = new Sender();
    const watcher = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => di.client }, { pollMs: 10, minuteMs: 60_000 });
    await watcher.pollOnce();
    now = new Date(T0 + 120_000);
    await watcher.pollOnce();

    expect(sender.updates.map((u) => u.activityId)).toEqual(['card-0']);
    expect(sender.posts).toHaveLength(1);
    expect(JSON.stringify([sender.posts, sender.updates])).not.toMatch(/22:00|web-2|quietHours|seenEnds/);
    const row = await rig.row('run');
    expect(row).toMatchObject(NEWER);
    expect(row.pendingRuns).toBeUndefined();
  });

  test('a dataflow watch keeps the newer fields (its own, its environment\'s, its last refresh\'s) through alerts kept, a stall, a level change, the conversation gone and back', async () => {
    const flows = new DataflowWatchStore(rig.flows, () => now);
    await flows.watch({ ...FLOW_KEY, dataflowName: 'Accounts', environment: ENV, owner: OWNER });
    await flows.update(FLOW_KEY, { lastRefresh: { id: 'q1', status: 'Completed', outcome: 'Success', endedAt: iso(1) } });
    await rig.writeAsNewer('flow', (w) => ({
      ...w, ...NEWER, environment: { ...ENV, region: 'emea' }, lastRefresh: { ...(w.lastRefresh as Body), rows: 120 },
    }));

    await flows.update(FLOW_KEY, { stalledAt: iso(2) }, 'alert-1');
    await flows.setNotifyLevel(FLOW_KEY, 'failures');
    await flows.markConversationGone(FLOW_KEY.conversationId);
    await flows.reviveConversation(FLOW_KEY.conversationId);
    await flows.update(FLOW_KEY, { stalledAt: undefined });

    const row = await rig.row('flow');
    expect(row).toMatchObject({ ...NEWER, notifyLevel: 'failures', alertCards: ['alert-1'], environment: { region: 'emea' }, lastRefresh: { id: 'q1', rows: 120 } });
    expect(row.stalledAt).toBeUndefined();
    expect((await flows.active()).map((w) => w.dataflowName)).toEqual(['Accounts']);
  });

  test('a change that the newer fields would push past one stored record (64 KiB) is still written, without them, and a warning says so', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('warn', { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
    const watches = new WatchStore(rig.runs, () => now, logger);
    await watches.watch({ ...RUN_KEY, owner: OWNER });
    // Just under the limit as the newer release wrote it: 32 Ki characters of JSON are 64 KiB in UTF-16, one Azure Tables property.
    const fill = (w: Body) => 32 * 1024 - 200 - JSON.stringify({ ...w, ...NEWER, notes: '' }).length;
    await rig.writeAsNewer('run', (w) => ({ ...w, ...NEWER, notes: 'n'.repeat(fill(w)) }));
    expect(JSON.stringify(await rig.row('run')).length).toBe(32 * 1024 - 200);

    await watches.addPendingRun(RUN_KEY, { executionId: 'r1', activityId: 'card-1', speaks: { locale: 'de-DE', localTimezone: 'x'.repeat(100) } });
    await watches.update(RUN_KEY, { goingWhenWatched: Array.from({ length: 40 }, (_, i) => `going-${i}`) });

    const row = await rig.row('run');
    expect(row).toMatchObject({ pendingRuns: [{ executionId: 'r1' }], goingWhenWatched: expect.arrayContaining(['going-39']) });
    expect(Object.keys(row).filter((k) => k in NEWER || k === 'notes')).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: 40, watch: [RUN_KEY.projectName, RUN_KEY.conversationId], dropped: ['quietHours', 'seenEnds', 'notes'] })]);
    expect(JSON.stringify(lines)).not.toMatch(/nnn|22:00/);
  });
});
