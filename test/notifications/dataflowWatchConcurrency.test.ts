import fc from 'fast-check';
import { type DataflowWatchInput, type DataflowWatchKey, DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import { heldBy } from '../helpers/heldWatchWrites';
import { azureBackend, sqliteBackend, type StateBackend, twoInstances } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Builder', userId: '29:bob' };
const DE = { locale: 'de-DE', localTimezone: 'Europe/Berlin' };
const ENV = { name: '7d4e9a1b-2c3f-4b5a-8e6d-0f1a2b3c4d5e', displayName: 'Contoso CDS', instanceUrl: 'https://contosocds.crm.dynamics.com/', instanceApiUrl: 'https://contosocds.api.crm.dynamics.com/' };
const REFRESH = { id: 'r-7', status: 'Success', outcome: 'succeeded', endedAt: '2026-12-06T09:58:00.000Z' };
const ENDS = ['2026-12-06T08:58:00.000Z', '2026-12-06T09:58:00.000Z'];
const STALLED = '2026-12-06T09:30:00.000Z';

// Issue 27's dataflow watches are changed by turns (a level, a renewal, Stop), the watcher's bookkeeping and other
// instances without a lock, as project watches are (watchStoreConcurrency.test.ts): fast-check's scheduler holds
// each writer between its read and its write in every order, on SQLite and on Azurite, and no change may be lost.
describe.each([sqliteBackend(), azureBackend()])('one dataflow watch changed by two instances at once ($name)', (backend: StateBackend) => {
  const { one, other } = twoInstances(backend);
  let dataflows = 0;
  const settled = (key: DataflowWatchKey) => new DataflowWatchStore(one().dataflowWatches).get(key);
  /** A new watch, then `race` run by a turn of one instance and the watcher of the other, each held by the scheduler. */
  const everyOrder = (race: (input: DataflowWatchInput, turn: DataflowWatchStore, leader: DataflowWatchStore, s: fc.Scheduler) => Promise<void>) =>
    fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
      const n = ++dataflows;
      const input = { dataflowId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, dataflowName: `Accounts ${n}`, environment: ENV, conversationId: '19:general;x', owner: ADA };
      await new DataflowWatchStore(one().dataflowWatches).watch(input);
      await race(input, new DataflowWatchStore(heldBy(s, one().dataflowWatches)), new DataflowWatchStore(heldBy(s, other().dataflowWatches)), s);
    }), { numRuns: 15 });

  test('"Failures only", the watcher\'s bookkeeping and a renewal by another person: every change survives every interleaving', async () => {
    await everyOrder(async (input, turn, leader, s) => {
      await s.waitFor(Promise.all([
        turn.setNotifyLevel(input, 'failures'),
        leader.update(input, { lastRefresh: REFRESH, recentEnds: ENDS }).then(() => leader.update(input, { threadActivityId: 'thread-1' })),
        leader.update(input, { stalledAt: STALLED }),
        turn.watch({ ...input, owner: BOB, speaks: DE }),
      ]));
      expect(await settled(input)).toMatchObject({ owner: BOB, speaks: DE, notifyLevel: 'failures', lastRefresh: REFRESH, recentEnds: ENDS, stalledAt: STALLED, threadActivityId: 'thread-1' });
    });
  }, 120_000);

  test('Stop while the watcher writes its bookkeeping: the watch stays stopped, and Stop answers the watch it removed', async () => {
    await everyOrder(async (input, turn, leader, s) => {
      const [removed] = await s.waitFor(Promise.all([turn.stop(input), leader.update(input, { lastRefresh: REFRESH }), leader.setNotifyLevel(input, 'failures')]));
      expect(removed).toMatchObject({ dataflowId: input.dataflowId, dataflowName: input.dataflowName });
      expect(await settled(input)).toBeUndefined();
    });
  }, 120_000);

  test('the conversation gone and back while a level is chosen: the level stays and the watch is active again', async () => {
    await everyOrder(async (input, turn, leader, s) => {
      await s.waitFor(Promise.all([turn.setNotifyLevel(input, 'failures'), leader.markConversationGone(input.conversationId).then(() => leader.reviveConversation(input.conversationId))]));
      const watch = await settled(input);
      expect(watch).toMatchObject({ notifyLevel: 'failures' });
      expect(watch?.goneAt).toBeUndefined();
    });
  }, 120_000);
});
