/**
 * Review of cac2884 ("Watching it again starts it afresh"): a watch that ended because its dataflow was no longer
 * listed is kept 90 days; picking the dataflow again in "watch dataflows" revives that record. Its environment's
 * cursor did not move while nothing there was watched, so the first poll reads every refresh since the watch ended;
 * a new watch alerts none of those (only refreshes that end after it was asked for), a revived one must not either.
 */
import { type DataIntegration, type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { sqliteBackend } from '../helpers/stateBackends';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

describe('a dataflow picked again after its watch ended as deleted', () => {
  const t = dataflowWatcherTest(sqliteBackend(), T0);
  const headlines = () => t.sender.posts.map((p) => p.text.split(' | ')[0]);
  let listed: string[];
  /** Accounts refreshes at 2 past every hour, for two days (it was never really gone: e.g. the bot could not see it for a while). */
  const refreshes: DataflowRefresh[] = Array.from({ length: 48 }, (_, h) => ({
    id: `r${h}`, dataflowId: ACCOUNTS, status: 'Success', outcome: refreshOutcomeOf('Success'), startedAt: at(h * 60 + 1), endedAt: at(h * 60 + 2),
  }));
  const reads = {
    refreshesEndedSince: async (_env: unknown, ids: readonly string[], since: string) =>
      refreshes.filter((r) => ids.includes(r.dataflowId) && r.endedAt > since && Date.parse(r.endedAt) <= t.now.getTime()),
    tableRefreshes: async () => [],
    listedDataflowIds: async () => [...listed],
  } as unknown as DataIntegration;
  const poll = async (minute: number) => { t.now = new Date(T0 + minute * MIN); await t.watcher(reads).pollOnce(); };
  const pick = () => t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA });

  test('its first poll says nothing of the refreshes that ended while it was not watched, as for a dataflow picked for the first time', async () => {
    await pick();
    listed = [ACCOUNTS, CONTACTS];
    await poll(5);
    listed = [CONTACTS]; // left out of two complete listings a quarter of an hour apart, with no refresh between: ended
    await poll(20);
    await poll(36);
    expect(headlines()).toEqual(['✅ Accounts refreshed', '🗑️ Accounts no longer exists in Contoso CDS']);
    expect((await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.deletedAt).toBeDefined();

    // A day later it is listed again, and someone picks it in "watch dataflows" (as the alert told them to).
    listed = [ACCOUNTS, CONTACTS];
    t.now = new Date(T0 + (24 * 60 + 30) * MIN);
    await pick();
    await poll(24 * 60 + 35);
    // Its 24 refreshes of the day it was not watched (3:02 … 24:02) are not posted now, one card each.
    expect(headlines().slice(2)).toEqual([]);

    // What it refreshes from now on is alerted.
    await poll(25 * 60 + 5);
    expect(headlines().slice(2)).toEqual(['✅ Accounts refreshed']);
  });
});
