import { type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import type { DataflowReads } from '../../src/notifications/dataflowPoller';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { sqliteBackend } from '../helpers/stateBackends';
import { until } from '../helpers/tryOut';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const ended = (id: string, dataflowId: string, minute: number, status: string): DataflowRefresh => ({
  id, dataflowId, status, outcome: refreshOutcomeOf(status), startedAt: new Date(T0 + (minute - 1) * 60_000).toISOString(), endedAt: new Date(T0 + minute * 60_000).toISOString(),
});

describe('the per-table rows of a refresh that Dataverse does not answer (throttled, each retry waiting out its Retry-After)', () => {
  const t = dataflowWatcherTest(sqliteBackend(), T0);

  test('its alert goes out without them at the look\'s deadline, and the alerts after it in the same channel are not held', async () => {
    for (const [id, name] of [[ACCOUNTS, 'Accounts'], [CONTACTS, 'Contacts']] as const) {
      await t.store().watch({ dataflowId: id, dataflowName: name, environment: ENV, conversationId: CHANNEL, owner: ADA });
    }
    const reads: DataflowReads = {
      refreshesEndedSince: async () => [ended('r1', ACCOUNTS, 5, 'Failed'), ended('r2', CONTACTS, 6, 'Success')],
      listedDataflowIds: async () => [ACCOUNTS, CONTACTS],
      // Accounts' tables never come; Contacts' do.
      tableRefreshes: (_environment, refreshId) => (refreshId === 'r1' ? new Promise(() => undefined) : Promise.resolve([
        { tableName: 'contact', status: 'Success', outcome: 'succeeded', inserted: 3, upserted: 4, errors: 0 },
      ])),
    };
    t.now = new Date(T0 + 10 * 60_000);
    const poll = t.watcher(reads).pollOnce(); // its look's deadline: 1 s (half its poll interval, at least a second)
    await until('both alerts to be posted', () => t.sender.posts.length === 2, 5000);
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Accounts failed', '✅ Contacts refreshed']);
    expect(t.sender.posts[0]!.text).toContain('The per-table counts could not be read this time.');
    expect(t.sender.posts[1]!.text).toContain('**contact**: 3 inserted, 4 upserted, 0 errors');
    await poll;
  });
});
