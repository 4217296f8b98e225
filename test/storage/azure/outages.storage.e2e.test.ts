import { missedGoals as missed } from '../../../bench/faults/figures';
import { watcherDuringOutage } from '../../../bench/faults/storageOutage';

/** Issue 28: a short form of `npm run bench:faults` (minutes of simulated time, seconds of real time), with its goals. */
// The turns of (b) are storageOutage.e2e.test.ts.
test('(b) Azure Storage not answering mid-poll: the lease is lost and taken again, no alert lost or sent twice', async () => {
  expect(missed(await watcherDuringOutage({ speed: 20, minutes: 1, projects: 10, warmMinutes: 1 }))).toEqual([]);
}, 180_000);
