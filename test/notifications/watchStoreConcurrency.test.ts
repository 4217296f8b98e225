import fc from 'fast-check';
import { WatchKey, WatchStore } from '../../src/notifications/watchStore';
import { heldBy } from '../helpers/heldWatchWrites';
import { azureBackend, sqliteBackend, StateBackend, twoInstances } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Builder', userId: '29:bob' };
const DE = { locale: 'de-DE', localTimezone: 'Europe/Berlin' };
const E0 = { executionId: 'e0', activityId: 'card-0', startedAt: '2025-03-01T08:00:00.000Z' };
const E1 = { executionId: 'e1', activityId: 'card-1', startedAt: '2025-03-01T09:00:00.000Z' };
const STALLED = '2025-03-01T09:30:00.000Z';

describe.each([sqliteBackend(), azureBackend()])('one watch changed by two instances at once ($name)', (backend: StateBackend) => {
  const { one, other } = twoInstances(backend);
  let projects = 0;
  const freshKey = (): WatchKey => ({ projectName: `Acc/Sync ${++projects}`, conversationId: '19:general;x' });
  const settled = (key: WatchKey) => new WatchStore(one().watches).get(key);

  test('"Run now", the watcher\'s bookkeeping, a notify level and a renewal: every change survives every interleaving', async () => {
    await fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
      const key = freshKey();
      const setup = new WatchStore(one().watches);
      await setup.watch({ ...key, owner: ADA });
      await setup.addPendingRun(key, E0);
      const turns = new WatchStore(heldBy(s, one().watches));
      const leader = new WatchStore(heldBy(s, other().watches));
      await s.waitFor(Promise.all([
        turns.addPendingRun(key, E1),
        turns.setNotifyLevel(key, 'failures'),
        leader.update(key, { stalledAt: STALLED }).then(() => leader.removePendingRun(key, 'e0')),
        leader.watch({ ...key, owner: BOB, speaks: DE }),
      ]));
      expect(await settled(key)).toMatchObject({ owner: BOB, speaks: DE, notifyLevel: 'failures', stalledAt: STALLED, pendingRuns: [E1] });
    }), { numRuns: 15 });
  }, 120_000);

  test('a Create and an immediate "Run now" on a project not watched yet: the pending run and the creator\'s watch both stay', async () => {
    await fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
      const key = freshKey();
      const create = new WatchStore(heldBy(s, one().watches));
      const runNow = new WatchStore(heldBy(s, other().watches));
      await s.waitFor(Promise.all([
        create.watch({ ...key, owner: ADA, threadActivityId: 'root-1' }).then(() => create.setNotifyLevel(key, 'failures')),
        runNow.watch({ ...key, owner: BOB }, { keep: true }).then(() => runNow.addPendingRun(key, E1)),
      ]));
      expect(await settled(key)).toMatchObject({ owner: ADA, threadActivityId: 'root-1', notifyLevel: 'failures', pendingRuns: [E1] });
    }), { numRuns: 15 });
  }, 120_000);

  test('the conversation gone and back, while a run is recorded: the pending run stays and the watch is active again', async () => {
    const key = { projectName: 'Contacts', conversationId: '19:leaving' };
    await new WatchStore(one().watches).watch({ ...key, owner: ADA });
    await fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
      const mine = new WatchStore(heldBy(s, one().watches));
      const theirs = new WatchStore(heldBy(s, other().watches));
      await s.waitFor(Promise.all([mine.addPendingRun(key, E1), theirs.markConversationGone(key.conversationId).then(() => theirs.reviveConversation(key.conversationId))]));
      const watch = await settled(key);
      expect(watch).toMatchObject({ pendingRuns: [E1] });
      expect(watch?.goneAt).toBeUndefined();
    }), { numRuns: 10 });
  }, 120_000);
});
