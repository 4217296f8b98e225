import type { Execution, Schedule } from '../../src/integration/port';
import { decideWatch, WatchFacts } from '../../src/notifications/watchDecision';
import type { Watch } from '../../src/notifications/watchStore';

const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const WATCH: Watch = { projectName: 'AccSync', conversationId: '19:general', owner: OWNER, notifyLevel: 'all', since: iso(0) };
const EVERY_MINUTE: Schedule = { projectName: 'AccSync', recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: false, nextRunAt: iso(31) };
const PAUSED: Schedule = { ...EVERY_MINUTE, paused: true, nextRunAt: undefined };
const MANUAL: Schedule = { projectName: 'AccSync', recurrence: { kind: 'manual' }, paused: false };

const run = (id: string, minute: number, status: Execution['status'] = 'succeeded'): Execution => ({
  id, projectName: 'AccSync', status, upserts: 10, errorCount: status === 'succeeded' ? 0 : 1, recordErrors: [],
  submittedAt: iso(minute - 0.5), startedAt: iso(minute - 0.5), endedAt: status === 'running' ? undefined : iso(minute),
});

/** A decision as a person would notice it: what is said where, and what is recorded at once. */
function said(facts: Partial<WatchFacts>) {
  const d = decideWatch({ watch: WATCH, executions: [], reported: new Set(), now: new Date(T0 + 30 * 60_000), rules: { minuteMs: 60_000, stallGraceMinutes: 5, digestAbove: 3 }, ...facts });
  const messages = d.messages.map((m) => {
    const a = m.alert;
    const what = a.kind === 'run' ? `run ${a.alert.executionId} ${a.alert.outcome} (${a.alert.schedule})`
      : a.kind === 'digest' ? `digest ${a.alerts.map((x) => x.executionId).join(',')}`
        : a.kind === 'runResult' ? `result ${a.execution.id}`
          : a.kind === 'stalled' ? (a.recovered ? 'runs again' : 'stalled') : a.kind;
    return `${what} -> ${'card' in m.to ? `card ${m.to.card}` : 'thread'}`;
  });
  const recorded = [...(d.records.reported ?? []).map((id) => `quiet ${id}`), ...(d.records.finishedPending ?? []).map((id) => `card done ${id}`),
    ...Object.entries(d.records.change ?? {}).map(([k, v]) => `${k}=${v === undefined ? 'cleared' : 'set'}`)];
  return { messages, recorded, confirm: d.confirmSchedule };
}

describe('decideWatch: what a watch\'s conversation is told after a look at its project', () => {
  test.each<[string, Partial<WatchFacts>, ReturnType<typeof said>]>([
    ['one finished run: one alert in the thread', { executions: [run('r1', 1)] }, { messages: ['run r1 succeeded (manual) -> thread'], recorded: [], confirm: false }],
    ['a run that ended before the watch began, or still running: nothing', { executions: [run('old', -10), run('going', 2, 'running')] }, { messages: [], recorded: [], confirm: false }],
    ['an already reported run: nothing, ever again', { executions: [run('r1', 1)], reported: new Set(['r1']) }, { messages: [], recorded: [], confirm: false }],
    ['an alert already waiting in the outbox is not queued twice', { executions: [run('r1', 1)], queued: new Set(['19:general|AccSync|r1']) }, { messages: [], recorded: [], confirm: false }],
    ['warnings and failures are alerted with their outcome, oldest first', { executions: [run('f', 2, 'failed'), run('w', 1, 'warning')] },
      { messages: ['run w warning (manual) -> thread', 'run f failed (manual) -> thread'], recorded: [], confirm: false }],
    ['three new runs: one alert each', { executions: [run('a', 1), run('b', 2), run('c', 3)] },
      { messages: ['run a succeeded (manual) -> thread', 'run b succeeded (manual) -> thread', 'run c succeeded (manual) -> thread'], recorded: [], confirm: false }],
    ['more than three (after a restart): one digest', { executions: [run('a', 1), run('b', 2), run('c', 3, 'failed'), run('d', 4)] },
      { messages: ['digest a,b,c,d -> thread'], recorded: [], confirm: false }],
    ['"failures": a success is recorded quietly, a warning alerted', { watch: { ...WATCH, notifyLevel: 'failures' }, executions: [run('ok', 1), run('w', 2, 'warning')] },
      { messages: ['run w warning (manual) -> thread'], recorded: ['quiet ok'], confirm: false }],
    ['"mute": everything recorded quietly', { watch: { ...WATCH, notifyLevel: 'mute' }, executions: [run('f', 1, 'failed')] }, { messages: [], recorded: ['quiet f'], confirm: false }],
    ['a run started from chat updates its card, not the thread', { watch: { ...WATCH, pendingRuns: [{ executionId: 'r1', activityId: 'card-1' }] }, executions: [run('r1', 1)] },
      { messages: ['result r1 -> card card-1'], recorded: [], confirm: false }],
    ['a run reported already (alerted before its card was registered) still has its card updated, never left "running"', { watch: { ...WATCH, pendingRuns: [{ executionId: 'r1', activityId: 'card-1' }] }, executions: [run('r1', 1)], reported: new Set(['r1']) },
      { messages: ['result r1 -> card card-1'], recorded: [], confirm: false }],
    ['cards only (a run being started, or the 2 s follow-up): other runs wait', { cardsOnly: true, watch: { ...WATCH, pendingRuns: [{ executionId: 'r2', activityId: 'card-2' }] }, executions: [run('r1', 1), run('r2', 2)] },
      { messages: ['result r2 -> card card-2'], recorded: [], confirm: false }],
    ['an alert shows the schedule\'s actions when the schedule is known', { executions: [run('r1', 29.5)], schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0) } },
      { messages: ['run r1 succeeded (recurring) -> thread'], recorded: [], confirm: false }],
    ['an active schedule seen the first time: its start is noted', { schedule: EVERY_MINUTE, executions: [run('r1', 29.5)], reported: new Set(['r1']) },
      { messages: [], recorded: ['scheduleActiveSince=set'], confirm: false }],
    ['a stall on a schedule carried forward: read it again first', { schedule: EVERY_MINUTE, watch: { ...WATCH, scheduleActiveSince: iso(0) }, executions: [run('r1', 1)], reported: new Set(['r1']) },
      { messages: [], recorded: [], confirm: true }],
    ['a stall on a schedule just read: said once', { schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0) }, executions: [run('r1', 1)], reported: new Set(['r1']) },
      { messages: ['stalled -> thread'], recorded: [], confirm: false }],
    ['a stall already said: nothing more', { schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0), stalledAt: iso(8) }, executions: [run('r1', 1)], reported: new Set(['r1']) },
      { messages: [], recorded: [], confirm: false }],
    ['a stalled schedule that runs again: said once', { schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0), stalledAt: iso(8) }, executions: [run('r2', 29.8)], reported: new Set(['r2']) },
      { messages: ['runs again -> thread'], recorded: [], confirm: false }],
    ['a run in progress past twice the interval is no stall: the next scheduled run waits for it', { schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0) }, executions: [run('long', 1, 'running')] },
      { messages: [], recorded: [], confirm: false }],
    ['a run in progress for over 12 hours: one note in the thread, not a stall', { now: new Date(T0 + 13 * 3_600_000), schedule: EVERY_MINUTE, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0) }, executions: [run('long', 1, 'running')] },
      { messages: ['longRun -> thread'], recorded: [], confirm: false }],
    ['...and not again for that run', { now: new Date(T0 + 14 * 3_600_000), watch: { ...WATCH, longRunNoted: 'long' }, executions: [run('long', 1, 'running')] },
      { messages: [], recorded: [], confirm: false }],
    ['a paused schedule never stalls; its stall bookkeeping is cleared', { schedule: PAUSED, scheduleFresh: true, watch: { ...WATCH, scheduleActiveSince: iso(0), stalledAt: iso(8) } },
      { messages: [], recorded: ['scheduleActiveSince=cleared', 'stalledAt=cleared'], confirm: false }],
    ['a manual project never stalls', { schedule: MANUAL, scheduleFresh: true, executions: [run('r1', 1)], reported: new Set(['r1']) }, { messages: [], recorded: [], confirm: false }],
    ['an unknown schedule: no stall is judged', { watch: { ...WATCH, scheduleActiveSince: iso(0) } }, { messages: [], recorded: [], confirm: false }],
    ['a project read again after "sign-in needed": the sign-in works again', { watch: { ...WATCH, signInNeededAt: iso(1) } }, { messages: [], recorded: ['signInNeededAt=cleared'], confirm: false }],
    ['a project read again after "cannot read": the note stands no more (issue 28)', { watch: { ...WATCH, unreadableAt: iso(1) } }, { messages: [], recorded: ['unreadableAt=cleared'], confirm: false }],
  ])('%s', (_name, facts, expected) => {
    expect(said(facts)).toEqual(expected);
  });

  test('what each message records once sent: the run reported, the card forgotten, the stall or sign-in noted', () => {
    const facts = { watch: { ...WATCH, pendingRuns: [{ executionId: 'r1', activityId: 'card-1' }] }, executions: [run('r1', 1), run('r2', 2)], reported: new Set<string>(), now: new Date(T0), rules: { minuteMs: 60_000, digestAbove: 3 } };
    expect(decideWatch(facts).messages.map((m) => m.onSent)).toEqual([{ reported: ['r1'], finishedPending: ['r1'] }, { reported: ['r2'] }]);
    const digest = decideWatch({ ...facts, watch: WATCH, executions: ['a', 'b', 'c', 'd'].map((id, i) => run(id, i + 1)) });
    expect(digest.messages.map((m) => m.onSent)).toEqual([{ reported: ['a', 'b', 'c', 'd'] }]);
    const stall = decideWatch({ ...facts, watch: { ...WATCH, scheduleActiveSince: iso(0) }, executions: [], schedule: EVERY_MINUTE, scheduleFresh: true, now: new Date(T0 + 30 * 60_000) });
    expect(stall.messages.map((m) => m.onSent)).toEqual([{ change: { stalledAt: iso(30) } }]);
  });
});
