import { WatchStore } from '../../src/notifications/watchStore';
import { openBotDatabase } from '../../src/storage/database';
import { SqliteWatchRecords } from '../../src/storage/sqlite/sqliteWatchRecords';
import { tempDataDir } from '../helpers/harness';

const KEY = { projectName: 'AccSync', conversationId: '19:general' };
const WATCH = { ...KEY, owner: { aadObjectId: 'ada-aad', name: 'Ada Admin' }, notifyLevel: 'all', since: '2025-03-01T09:00:00.000Z' };

describe('SQLite watch records', () => {
  test('a database from before watch versions opens with its watches, which then change only over the version read', async () => {
    // The file as the release before wrote it: no version column, schema at 6, one watch.
    const dataDir = tempDataDir();
    const old = openBotDatabase(dataDir);
    old.exec('ALTER TABLE run_watches DROP COLUMN version');
    old.pragma('user_version = 6');
    old.prepare('INSERT INTO run_watches (project_name, conversation_id, body) VALUES (?, ?, ?)').run(KEY.projectName, KEY.conversationId, JSON.stringify(WATCH));
    old.close();

    const records = new SqliteWatchRecords(openBotDatabase(dataDir));
    const read = await records.get(KEY);
    expect(read?.watch).toMatchObject({ owner: { name: 'Ada Admin' } });
    await new WatchStore(records).addPendingRun(KEY, { executionId: 'e1', activityId: 'card-1' });
    expect(await records.put({ ...read!.watch, notifyLevel: 'mute' }, read!.version)).toBe(false);
    expect(await records.put({ ...read!.watch, notifyLevel: 'mute' }, undefined)).toBe(false);
    expect((await records.get(KEY))?.watch).toMatchObject({ notifyLevel: 'all', pendingRuns: [{ executionId: 'e1' }] });
  });
});
