import { missedGoals as missed } from '../../bench/faults/figures';
import { faultedRun } from '../../bench/faults/integratorFaults';
import { tokenOutage } from '../../bench/faults/tokenOutage';

/** Issue 28: a short form of `npm run bench:faults` (minutes of simulated time, seconds of real time), with its goals. */
// The integrator's and the token service's outages do not touch the state store: SQLite, the faster, is enough.
test('(c) the integrator hangs or answers 500 for some projects: polls stay in their interval, those projects are backed off and noted once', async () => {
  const { figures } = await faultedRun({ store: 'sqlite', speed: 20, minutes: 4, projects: 10, warmMinutes: 1 }, true);
  expect(missed(figures)).toEqual([]);
}, 180_000);

test('(d) the token service is down: each watch asked once to sign in, watching resumes by itself', async () => {
  expect(missed(await tokenOutage({ store: 'sqlite', speed: 20, minutes: 1, projects: 10, warmMinutes: 1 }))).toEqual([]);
}, 180_000);

