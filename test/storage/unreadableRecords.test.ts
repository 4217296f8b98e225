import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { type Watch, WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import { all, azureTarget, tableClient } from '../../src/storage/azure/azureTarget';
import { TableWatchRecords } from '../../src/storage/azure/tableWatchRecords';
import { openBotDatabase } from '../../src/storage/database';
import type { UnreadableRecord } from '../../src/storage/readEach';
import { SqliteWatchRecords } from '../../src/storage/sqlite/sqliteWatchRecords';
import { freshPrefix, startAzurite } from '../helpers/azurite';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { tempDataDir } from '../helpers/harness';

const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const watch = (projectName: string, conversationId: string): Watch => ({ projectName, conversationId, owner: OWNER, notifyLevel: 'all', since: iso(0) });
/** A newer release's value (or a hand edit): a level this release does not know. */
const fromANewerRelease = (w: Watch) => JSON.stringify({ ...w, notifyLevel: 'digest', secretNote: 'never logged' });

/** A backend's watch records, and a way to spoil one stored row behind their back. */
interface Rig { records: SqliteWatchRecords | TableWatchRecords; spoil(w: Watch): Promise<void>; close(): Promise<void> }

async function sqliteRig(unreadable: UnreadableRecord): Promise<Rig> {
  const db = openBotDatabase(tempDataDir());
  return {
    records: new SqliteWatchRecords(db, unreadable),
    spoil: async (w) => { db.prepare('UPDATE run_watches SET body = ? WHERE conversation_id = ? AND project_name = ?').run(fromANewerRelease(w), w.conversationId, w.projectName); },
    close: async () => { db.close(); },
  };
}

async function azureRig(unreadable: UnreadableRecord): Promise<Rig> {
  const table = tableClient(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: (await startAzurite()).connectionString, AZURE_STATE_PREFIX: freshPrefix() }), 'watches');
  await table.createTable();
  const records = new TableWatchRecords(table, unreadable);
  return {
    records,
    spoil: async (w) => {
      const [row] = await all(table.listEntities<{ body: string }>({ queryOptions: { filter: `kind eq 'watch' and PartitionKey eq '${encodeURIComponent(w.conversationId)}'` } }));
      await table.updateEntity({ partitionKey: row!.partitionKey!, rowKey: row!.rowKey!, body: fromANewerRelease(w) }, 'Merge');
    },
    close: async () => undefined,
  };
}

class Sender {
  posts: string[] = [];
  async send(target: SendTarget, _activity: OutboundActivity): Promise<DeliveryResult> {
    this.posts.push(target.conversationId);
    return { status: 'sent', activityId: `m${this.posts.length}`, threadId: `m${this.posts.length}` };
  }
  async update(_c: string, activityId: string): Promise<DeliveryResult> { return { status: 'sent', activityId }; }
}

describe.each([['sqlite', sqliteRig], ['azure', azureRig]] as const)('one watch that no longer reads back, on %s', (_, rigOf) => {
  test('is left out and reported by table and key (not by its content); the other conversations are still polled and alerted', async () => {
    const reported: Array<{ record: { table: string; key: string }; err: unknown }> = [];
    const rig = await rigOf((record, err) => reported.push({ record, err }));
    try {
      let now = new Date(T0);
      const watches = new WatchStore(rig.records, () => now);
      await watches.watch({ projectName: 'AccSync', conversationId: '19:general', owner: OWNER });
      await watches.watch({ projectName: 'Other', conversationId: '19:other', owner: OWNER });
      await rig.spoil(watch('Other', '19:other'));

      const di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' }).addProject('Other');
      di.addRun('AccSync', { id: 'r1', startedAt: iso(0.5), endedAt: iso(1) });
      now = new Date(T0 + 90_000);
      const sender = new Sender();
      const watcher = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => di.client }, { pollMs: 10, minuteMs: 60_000 });
      await watcher.pollOnce();
      expect(sender.posts).toEqual(['19:general']);
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every(({ record }) => record.key.includes('other') && /watches/.test(record.table))).toBe(true);
      expect(JSON.stringify(reported.map((r) => r.record))).not.toContain('never logged');
    } finally {
      await rig.close();
    }
  });
});
