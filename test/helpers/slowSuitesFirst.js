const Sequencer = require('@jest/test-sequencer').default;

/** Suites that start processes, a browser or thousands of generated cases: the long ones. */
const SLOW = /\.(e2e|browser|fuzz)\.test\.ts$/;

/**
 * Jest's order (failed first, then longest first by the last run's times), except that suites Jest has no
 * time for yet (a fresh clone) start with the slow kinds, not the biggest files: a short file can be a
 * long suite, and one started last holds the whole run up.
 */
class SlowSuitesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimed = sorted.filter((t) => t.duration == null);
    const slowFirst = [...untimed.filter((t) => SLOW.test(t.path)), ...untimed.filter((t) => !SLOW.test(t.path))];
    return [...slowFirst, ...sorted.filter((t) => t.duration != null)];
  }
}

module.exports = SlowSuitesFirst;
