import { type DataflowRefresh, DataIntegrationError, refreshOutcomeOf } from '../../src/integration/port';
import type { DataflowReads } from '../../src/notifications/dataflowPoller';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { sqliteBackend } from '../helpers/stateBackends';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(ms).toISOString();
/** Stands for the client's bound: it follows 100 pages of 5,000 rows at most, and rejects a longer answer (collectPages). */
const MOST_ROWS = 1000;

describe('an environment whose cursor stood still for months (its only watched dataflow was quiet)', () => {
  const t = dataflowWatcherTest(sqliteBackend(), T0);

  test('a dataflow watched there now gets its alerts: the query reads a week back at most, not every refresh since the cursor', async () => {
    // Contacts was watched there and stopped refreshing 90 days ago: the environment's cursor stayed at its last refresh.
    await t.store().watch({ dataflowId: CONTACTS, dataflowName: 'Contacts', environment: ENV, conversationId: CHANNEL, owner: ADA });
    await t.store().advanceCursor(ENV.name, at(T0 - 90 * DAY));
    // Accounts has refreshed every hour all that time; it is watched from half an hour ago, and its last refresh failed.
    const history: DataflowRefresh[] = Array.from({ length: 90 * 24 }, (_, i) => ({
      id: `r${i}`, dataflowId: ACCOUNTS, status: 'Success', outcome: refreshOutcomeOf('Success'), endedAt: at(T0 - 90 * DAY + i * HOUR),
    }));
    history.push({ id: 'last', dataflowId: ACCOUNTS, status: 'Failed', outcome: refreshOutcomeOf('Failed'), endedAt: at(T0 - 10 * 60_000) });
    t.now = new Date(T0 - 30 * 60_000);
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA, notifyLevel: 'failures' });
    const reads: DataflowReads = {
      refreshesEndedSince: async (_environment, ids, since) => {
        const rows = history.filter((r) => ids.includes(r.dataflowId) && r.endedAt > since);
        if (rows.length > MOST_ROWS) throw new DataIntegrationError('The list has more than 100 pages', { service: 'dataverse', code: 'malformed_response' });
        return rows;
      },
      listedDataflowIds: async () => [ACCOUNTS, CONTACTS],
      tableRefreshes: async () => [],
    };
    t.now = new Date(T0);
    const watcher = t.watcher(reads);
    const poll = await watcher.pollOnce();
    expect(poll.failures).toBe(0);
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Accounts failed']);
  });
});
