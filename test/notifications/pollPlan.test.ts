import type { Execution, Schedule } from '../../src/integration/port';
import { PollPlan } from '../../src/notifications/pollPlan';
import type { Watch } from '../../src/notifications/watchStore';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const POLL_MS = 30_000;
const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin' };
const watchOf = (projectName: string, extra: Partial<Watch> = {}): Watch => ({ projectName, conversationId: '19:c', owner: OWNER, notifyLevel: 'all', since: at(-60).toISOString(), ...extra });
/** A finished run submitted at `minute` that took `minutes`. */
const ran = (id: string, minute: number, minutes = 2, status: Execution['status'] = 'succeeded'): Execution => ({
  id, projectName: 'p', status, upserts: 1, errorCount: 0, recordErrors: [], submittedAt: at(minute).toISOString(), startedAt: at(minute).toISOString(),
  endedAt: status === 'running' ? undefined : at(minute + minutes).toISOString(),
});
const HOURLY: Schedule = { projectName: 'p', recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, paused: false, nextRunAt: at(20).toISOString() };
const names = (watches: Watch[]) => watches.map((w) => w.projectName);

/** Which of the watch's polls (one every 30 s from `from` to `to` minutes) look at the project, after a first look at `from`. */
function looks(plan: PollPlan, watch: Watch, from: number, to: number, runsAt: (minute: number) => Execution[]): number[] {
  const seen: number[] = [];
  for (let m = from; m <= to; m += 0.5) {
    if (plan.due([watch], at(m)).length === 0) continue;
    seen.push(m);
    plan.saw(watch, runsAt(m), at(m));
  }
  return seen;
}

describe('PollPlan: which projects a poll looks at', () => {
  test('every project at the first poll; then a sweep covers each once every `sweepEveryPolls`, a share at each poll', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 4 });
    const watches = Array.from({ length: 40 }, (_, i) => watchOf(`p${i}`));
    expect(plan.due(watches, at(0))).toHaveLength(40);
    watches.forEach((w) => plan.saw(w, [], at(0)));
    const polls = [1, 2, 3, 4].map((i) => {
      const looked = plan.due(watches, at(i / 2));
      looked.forEach((w) => plan.saw(w, [], at(i / 2)));
      return names(looked);
    });
    expect(new Set(polls.flat()).size).toBe(40);
    expect(polls.flat()).toHaveLength(40);
  });

  /** Polls `count` times after a first look at everything, each looking at what is due; the names each poll looked at. */
  const sweeps = (plan: PollPlan, watches: Watch[], count: number) => {
    plan.due(watches, at(0)).forEach((w) => plan.saw(w, [], at(0)));
    return Array.from({ length: count }, (_, i) => {
      const looked = plan.due(watches, at((i + 1) / 2));
      looked.forEach((w) => plan.saw(w, [], at((i + 1) / 2)));
      return names(looked);
    });
  };

  test('the sweep is budgeted: no poll looks at more than `sweepMaxPerPoll`, so 1,000 projects take 50 polls instead of 10', () => {
    const watches = Array.from({ length: 1000 }, (_, i) => watchOf(`p${i}`));
    const polls = sweeps(new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 10, sweepMaxPerPoll: 20 }), watches, 50);
    expect(polls.map((p) => p.length)).toEqual(Array(50).fill(20));
    expect(new Set(polls.flat()).size).toBe(1000); // each once, the ones looked at longest ago first
  });

  test('a small tenant under the budget is still swept every `sweepEveryPolls`; a fraction of a project per poll carries over', () => {
    const forty = Array.from({ length: 40 }, (_, i) => watchOf(`p${i}`));
    expect(sweeps(new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 4, sweepMaxPerPoll: 20 }), forty, 4).map((p) => p.length)).toEqual([10, 10, 10, 10]);
    const five = Array.from({ length: 5 }, (_, i) => watchOf(`p${i}`));
    const polls = sweeps(new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 10 }), five, 10);
    expect(polls.map((p) => p.length)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(new Set(polls.flat()).size).toBe(5);
  });

  /** The runs the service lists at `minute`: those started by then, running until they end. */
  const listed = (runs: Array<[string, number, number]>) => (minute: number) => runs
    .filter(([, start]) => start <= minute)
    .map(([id, start, minutes]) => ran(id, start, minutes, minute < start + minutes ? 'running' : 'succeeded'))
    .reverse();

  test.each<[string, Partial<Watch>, Array<[string, number, number]>, number[]]>([
    // Runs at 8:50 and 9:50 of 2 min each: the next is projected at 10:50 and can have ended at 10:52 (looked at from 5 s before).
    ['a project is looked at when its projected run can have ended, and not before', {}, [['a', -70, 2], ['b', -10, 2], ['c', 50, 2]], [0, 52]],
    ['a run longer than usual is looked at at every poll until it is seen finished', {}, [['a', -70, 2], ['b', -10, 2], ['c', 50, 3.2]], [0, 52, 52.5, 53, 53.5]],
    ['a run seen going is looked at at every poll until it ends', {}, [['a', -120, 2], ['b', -60, 2], ['c', -0.5, 2]], [0, 0.5, 1, 1.5, 61]],
    ['a run started from chat ("Run now") is looked at at every poll', { pendingRuns: [{ executionId: 'x', activityId: 'card' }] }, [], [0, 0.5, 1, 1.5, 2]],
  ])('%s', (_name, extra, runs, expected) => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 1000 });
    const last = Math.max(...expected);
    expect(looks(plan, watchOf('p', extra), 0, last, listed(runs))).toEqual(expected);
  });

  test('a schedule read while its run was starting still waits for that run', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 1000 });
    const watch = watchOf('p');
    plan.due([watch], at(19.9));
    plan.saw(watch, [ran('old', -40)], at(19.9));
    // The answer came just after 10:20, so it announces 11:20; the run of 10:20 is the one to wait for.
    plan.learnSchedule('p', { ...HOURLY, nextRunAt: at(80).toISOString() }, [ran('old', -40)], at(20.01));
    expect(names(plan.due([watch], at(22)))).toEqual(['p']);
  });

  test('a schedule is read when unknown (a share per poll, or when an alert needs it), when the bot changed it, never while known', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 10 });
    plan.due([watchOf('p')], at(0));
    expect(plan.readsSchedule('p', true)).toBe(true);
    plan.learnSchedule('p', HOURLY, [], at(0));
    expect(plan.schedule('p', at(0))?.nextRunAt).toBe(at(20).toISOString());
    expect(plan.schedule('p', at(30))?.nextRunAt).toBe(at(80).toISOString()); // carried forward
    expect(plan.readsSchedule('p', true)).toBe(false);
    plan.scheduleChanged('p');
    expect(plan.schedule('p', at(0))).toBeUndefined();
    expect(plan.readsSchedule('p', false)).toBe(true);
    expect(names(plan.due([watchOf('p')], at(1)))).toEqual(['p']);
  });

  test('while a run is being started from chat its watch is held, and once registered it is followed', () => {
    const plan = new PollPlan({ pollMs: POLL_MS });
    const key = { projectName: 'p', conversationId: '19:c' };
    const starting = plan.startRun(key);
    expect(plan.held(key)).toBe(true);
    starting.done();
    expect(plan.held(key)).toBe(false);
    expect([...plan.pending]).toEqual(['19:c|p']);
  });
  test('a project that cannot be read is looked at again after 1, 2, 4, 8, 8… polls, not by the sweep; a good look ends it (issue 28)', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 1 });
    const watch = watchOf('p');
    const failing: number[] = [];
    for (let m = 0; m <= 20; m += 0.5) {
      if (plan.due([watch], at(m)).length === 0) continue;
      failing.push(m);
      plan.failed('p', at(m));
    }
    expect(failing).toEqual([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5]);
    plan.saw(watch, [], at(20));
    expect(plan.due([watch], at(20.5))).toHaveLength(1);
  });

  test('a watch whose look came just before another watch of its project saw the awaited run ended is looked at at the next poll, once', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 1000 });
    const [a, b] = [watchOf('p', { conversationId: '19:a' }), watchOf('p', { conversationId: '19:b' })];
    plan.learnSchedule('p', HOURLY, [ran('r1', 0)], at(3));
    plan.due([a, b], at(3)).forEach((w) => plan.saw(w, [ran('r1', 0)], at(3)));
    expect(plan.due([a, b], at(3.5))).toEqual([]);
    // 10:22: the 10:20 run can have ended. The service lists it to b's look, not yet to a's (whose answer is handled last).
    expect(plan.due([a, b], at(22))).toHaveLength(2);
    plan.saw(b, [ran('r2', 20), ran('r1', 0)], at(22));
    plan.saw(a, [ran('r1', 0)], at(22));
    expect(plan.due([a, b], at(22.5)).map((w) => w.conversationId)).toEqual(['19:a']);
    // Should a's look still not list it (the service dropped the run), a is not looked at again and again.
    plan.saw(a, [ran('r1', 0)], at(22.5));
    expect(plan.due([a, b], at(23))).toEqual([]);
  });

  test('a project whose alert did not go out is looked at at the next poll', () => {
    const plan = new PollPlan({ pollMs: POLL_MS, sweepEveryPolls: 1000 });
    const watch = watchOf('p');
    plan.learnSchedule('p', HOURLY, [ran('r1', 0)], at(3));
    plan.saw(watch, [ran('r1', 0)], at(3));
    expect(plan.due([watch], at(3.5))).toHaveLength(0);
    plan.notDelivered('p');
    expect(plan.due([watch], at(3.5))).toHaveLength(1);
  });
});
