import { connectorOutage } from '../../bench/faults/connectorOutage';
import { missedGoals as missed } from '../../bench/faults/figures';

/** Issue 28: a short form of `npm run bench:faults` (minutes of simulated time, seconds of real time), with its goals. */
describe.each([['sqlite', 20], ['azure', 20]] as const)('a connector outage, short form, on %s', (store, speed) => {
  test('(a) the Bot Connector answers 503: afterwards every alert is posted once, in order in its thread, within two polls', async () => {
    expect(missed(await connectorOutage({ store, speed, outageMinutes: 1, projects: 10, warmMinutes: 1 }))).toEqual([]);
  }, 180_000);
});

