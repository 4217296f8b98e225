const Sequencer = require('@jest/test-sequencer').default;

/** Suites that start processes, a browser or thousands of generated cases: the long ones. */
const SLOW = /\.(e2e|browser|fuzz)\.test\.ts$/;
/**
 * The longest suites on the 2-core machine, longest first: most of their time is lease expiries (Azure's
 * shortest lease is 15 s) and a browser, so on a fresh clone they must start at once, not after shorter ones.
 */
const LONGEST = ['alertFailover.e2e', 'playground.browser', 'blobLeaseLeadership', 'twoInstances.e2e'];
const rank = (t) => {
  const known = LONGEST.findIndex((name) => t.path.endsWith(`${name}.test.ts`));
  return known >= 0 ? known : LONGEST.length + (SLOW.test(t.path) ? 0 : 1);
};

/**
 * Jest's order (failed first, then longest first by the last run's times), except that suites Jest has no
 * time for yet (a fresh clone) start with the known longest, then the slow kinds, not the biggest files: a
 * short file can be a long suite, and one started last holds the whole run up.
 */
class SlowSuitesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimed = sorted.filter((t) => t.duration == null);
    // Array.prototype.sort is stable: within a rank, Jest's order stays.
    return [...untimed.sort((a, b) => rank(a) - rank(b)), ...sorted.filter((t) => t.duration != null)];
  }
}

module.exports = SlowSuitesFirst;
