import type { Execution, ExecutionStatus, Schedule } from '../integration/port';
import { said } from '../words/words';
import { AlertMessage, messageKey, WatchChange, WatchWrites } from './alertMessage';
import { DEFAULT_STALL_GRACE_MINUTES, isLongRun, isStalled, LONG_RUN_MINUTES, lastRunAt } from './stallCheck';
import type { RunAlert, RunOutcome, ScheduleView } from './watchAlert';
import type { NotifyLevel, PendingRun, Watch } from './watchStore';

/** Everything the watcher should do for one watch after reading its project. */
export interface WatchDecision {
  messages: AlertMessage[];
  /** Written at once. */
  records: WatchWrites;
  /** The stall state would change on a schedule carried forward: read it afresh and decide again before saying so. */
  confirmSchedule: boolean;
}

/** The rules' settings. */
export interface DecisionRules {
  /** Real ms per schedule minute (the sandbox runs faster in tests). */
  minuteMs: number;
  stallGraceMinutes?: number;
  /** More new runs than this at once become one digest. */
  digestAbove: number;
}

/** What one decision looks at: a watch, its project's runs and schedule, what was reported, and the clock. */
export interface WatchFacts {
  watch: Watch;
  executions: readonly Execution[];
  /** Undefined when not known yet: no stall is judged, alerts show no schedule actions. */
  schedule?: Schedule;
  /** True when the schedule was just read from the service (not carried forward). */
  scheduleFresh?: boolean;
  /** Which finished runs were already reported (from the watch store). */
  reported: ReadonlySet<string>;
  /** What the looks saw of the finished runs listed without an end time (see RunSighting). */
  sightings?: RunSightings;
  /** Keys of messages already waiting to be sent (or just sent). */
  queued?: Pick<ReadonlySet<string>, 'has'>;
  /** Only update the cards of runs started from chat (their follow-up, or a run being started right now). */
  cardsOnly?: boolean;
  now: Date;
  rules: DecisionRules;
}

/**
 * What the watcher's looks saw of a run the service lists as finished but without an end time (its history is not
 * documented): it had ended by `endedBy` (the first look that saw it finished), and a look saw it in progress at
 * `goingAt` (absent when none did).
 */
export interface RunSighting { endedBy: string; goingAt?: string }
/** What the looks saw of each such run, by its execution id. */
export type RunSightings = ReadonlyMap<string, RunSighting>;
const NO_SIGHTINGS: RunSightings = new Map();

/** The finished runs a watch may still have to report: ended since it started watching. */
export function finishedSince(watch: Watch, executions: readonly Execution[], sightings = NO_SIGHTINGS): Array<{ e: Execution; outcome: RunOutcome }> {
  return executions
    .map((e) => ({ e, outcome: outcomeOf(e.status) }))
    .filter((x): x is { e: Execution; outcome: RunOutcome } => x.outcome !== undefined && endedSince(watch, x.e, sightings.get(x.e.id)));
}

/**
 * Whether a finished run ended at or after the watch began. Without an end time that is known only of a run that
 * started then, or that a look saw still in progress then (this instance's looks, or any lead's, kept on the watch for
 * a run already going when it began); one that may have ended before (an old run) is not told.
 */
function endedSince(watch: Watch, e: Execution, seen: RunSighting | undefined): boolean {
  const since = Date.parse(watch.since);
  if (e.endedAt) return Date.parse(e.endedAt) >= since;
  if (watch.goingWhenWatched?.includes(e.id)) return true;
  return [e.startedAt, seen?.goingAt].some((t) => t !== undefined && Date.parse(t) >= since);
}

/**
 * When a finished run ended, as far as a sign of life goes: its end time, or, without one, the first look that saw it
 * finished, only where a look saw it in progress before (it ended between the two). A run no look saw in progress
 * (a short run, or one that ended while the lead restarted) may have ended long before that look: only its submission
 * counts, or a schedule that stopped would seem to come alive at every look that first sees its last run.
 */
function knownEnd(watch: Watch, e: Execution, seen: RunSighting | undefined): string | undefined {
  if (!outcomeOf(e.status)) return undefined;
  if (e.endedAt) return e.endedAt;
  return seen?.goingAt || watch.goingWhenWatched?.includes(e.id) ? seen?.endedBy : undefined;
}

/** The most runs already going when a watch began that it keeps (a project runs one or two at a time). */
const GOING_WHEN_WATCHED_KEPT = 5;

/**
 * The runs already going when the watch began that a look sees in progress now, kept on the watch: the looks' memory
 * is one instance's, and a lead that restarts (or another instance that takes the lead) must still tell such a run once
 * it ends without an end time. Forgotten once reported, or no longer listed.
 */
function goingWhenWatched(watch: Watch, executions: readonly Execution[], reported: (id: string) => boolean): WatchChange | undefined {
  const since = Date.parse(watch.since);
  const before = watch.goingWhenWatched ?? [];
  const listed = new Set(executions.map((e) => e.id));
  const kept = before.filter((id) => listed.has(id) && !reported(id));
  const going = executions.filter((e) => !outcomeOf(e.status) && Date.parse(e.startedAt) < since && !kept.includes(e.id)).map((e) => e.id);
  const after = [...kept, ...going].slice(-GOING_WHEN_WATCHED_KEPT);
  if (after.length === before.length && after.every((id, i) => id === before[i])) return undefined;
  return { goingWhenWatched: after.length > 0 ? after : undefined };
}

/**
 * Decides, without doing anything, what a watch's conversation must be told: a run started from
 * chat gets its card updated; other finished runs one alert each (or one digest when many), unless
 * the conversation's level keeps them quiet; a schedule that stalled or recovered one alert.
 */
export function decideWatch(facts: WatchFacts): WatchDecision {
  const { watch, reported, queued = new Set<string>(), rules } = facts;
  const sightings = facts.sightings ?? NO_SIGHTINGS;
  const finished = finishedSince(watch, facts.executions, sightings).filter((x) => !queued.has(messageKey(watch, x.e.id)));
  const pending = new Map((watch.pendingRuns ?? []).map((r) => [r.executionId, r]));
  const records: WatchWrites = {
    // The project was read, so the owner's sign-in works (again) and its runs can be read.
    change: watch.signInNeededAt || watch.unreadableAt
      ? { ...(watch.signInNeededAt && { signInNeededAt: undefined }), ...(watch.unreadableAt && { unreadableAt: undefined }) } : undefined,
  };
  const ended = (e: Execution) => Date.parse(endOf(e, sightings.get(e.id)));
  const byEnd = [...finished].sort((a, b) => ended(a.e) - ended(b.e));
  const fresh = byEnd.filter((x) => !reported.has(x.e.id));
  // A run's card shows its result even when the run was reported already (alerted in the thread by the lead before the
  // card that started it was registered, or a crash between the card's update and forgetting the run): never left "running".
  const messages: AlertMessage[] = byEnd.filter((x) => pending.has(x.e.id)).map(({ e }) => cardUpdate(watch, e, pending.get(e.id)!, sightings.get(e.id)));
  if (facts.cardsOnly) return { messages, records, confirmSchedule: false };

  const rest = fresh.filter((x) => !pending.has(x.e.id));
  records.reported = rest.filter((x) => !shouldNotify(watch.notifyLevel, x.outcome)).map((x) => x.e.id);
  const quiet = new Set(records.reported);
  records.change = { ...records.change, ...goingWhenWatched(watch, facts.executions, (id) => reported.has(id) || quiet.has(id)) };
  const loud = rest.filter((x) => shouldNotify(watch.notifyLevel, x.outcome));
  const alerts = loud.map((x) => runAlertOf(x.e, x.outcome, facts.schedule, ALERT_ERROR_COUNT, sightings.get(x.e.id)));
  if (alerts.length > rules.digestAbove) {
    const ids = alerts.map((a) => a.executionId);
    messages.push({
      key: messageKey(watch, `digest|${ids.join(',')}`), watch, to: { thread: true }, alert: { kind: 'digest', alerts },
      summary: said('summary.digest', { count: alerts.length, project: watch.projectName }), onSent: { reported: ids },
    });
  } else {
    alerts.forEach((alert, i) => messages.push({
      key: messageKey(watch, alert.executionId), watch, to: { thread: true }, alert: { kind: 'run', alert },
      summary: said('summary.run', { project: watch.projectName, outcome: alert.outcome }), nameRecordsOf: loud[i].e, onSent: { reported: [alert.executionId] },
    }));
  }
  const stall = stallDecision(facts);
  records.change = { ...records.change, ...stall.change };
  if (stall.message) messages.push(stall.message);
  messages.push(...longRunNote(facts));
  return { messages, records, confirmSchedule: stall.confirm };
}

/** The card of a run started from chat, updated with its result in the words of who started it. */
export function cardUpdate(watch: Watch, execution: Execution, run: PendingRun, seen?: RunSighting): AlertMessage {
  const endedBy = execution.endedAt ? undefined : seen?.endedBy;
  return {
    key: messageKey(watch, execution.id), watch, to: { card: run.activityId },
    alert: { kind: 'runResult', projectName: watch.projectName, execution, ...(endedBy && { endedBy }) },
    ...(run.speaks && { speaks: run.speaks }),
    nameRecordsOf: execution, onSent: { reported: [execution.id], finishedPending: [execution.id] },
  };
}

/** Whose sign-in the watcher reads a watch's project with. */
export const ownerOf = (watch: Watch): string => watch.owner.userId ?? watch.owner.aadObjectId;

// The stall rule, one part of the decision.

/** What the stall rule decided for a watch: bookkeeping to write, an alert, or a fresh look at the schedule first. */
export interface StallDecision {
  change?: WatchChange;
  message?: AlertMessage;
  confirm: boolean;
}

/**
 * One alert when an active schedule stops firing, one when it fires again. Said only on a schedule
 * just read from the service; on one carried forward, the answer is "read it again first".
 */
export function stallDecision(facts: WatchFacts): StallDecision {
  const { watch, schedule, now, rules } = facts;
  if (!schedule) return { confirm: false };
  const active = schedule.recurrence.kind === 'recurring' && !schedule.paused;
  if (!active) {
    const change = watch.scheduleActiveSince || watch.stalledAt ? { scheduleActiveSince: undefined, stalledAt: undefined } : undefined;
    return { change, confirm: false };
  }
  const activeSince = watch.scheduleActiveSince ?? now.toISOString();
  const change: WatchChange | undefined = watch.scheduleActiveSince ? undefined : { scheduleActiveSince: activeSince };
  // A run's end is a sign of life too: the next scheduled run waits for it, so the stall is counted from there.
  const sightings = facts.sightings ?? NO_SIGHTINGS;
  const lastRun = lastRunAt(facts.executions.flatMap((e) => [e.submittedAt, knownEnd(watch, e, sightings.get(e.id))]), activeSince);
  const stalled = isStalled({
    schedule, lastRunAt: lastRun, going: facts.executions.some((e) => !outcomeOf(e.status)), now,
    minuteMs: rules.minuteMs, graceMinutes: rules.stallGraceMinutes ?? DEFAULT_STALL_GRACE_MINUTES,
  });
  if (stalled === Boolean(watch.stalledAt)) return { change, confirm: false };
  if (!facts.scheduleFresh) return { change, confirm: true };
  // "Runs again" says when the run that came started; an end counts above, but is no start.
  const started = Math.max(...facts.executions.map((e) => Date.parse(e.submittedAt)).filter(Number.isFinite));
  const when = !stalled && Number.isFinite(started) ? started : lastRun;
  const message: AlertMessage = {
    key: messageKey(watch, stalled ? 'stalled' : 'recovered'), watch, to: { thread: true },
    alert: {
      kind: 'stalled', projectName: watch.projectName, recurrence: schedule.recurrence,
      lastRunAt: new Date(when).toISOString(), recovered: !stalled,
    },
    summary: said(stalled ? 'summary.stalled' : 'summary.recovered', { project: watch.projectName }),
    onSent: { change: { stalledAt: stalled ? now.toISOString() : undefined } },
  };
  return { change, message, confirm: false };
}

/**
 * One note, once per run, when a run has been in progress for longer than LONG_RUN_MINUTES: never called a stall (its
 * schedule waits for it), but a run stuck there for good would otherwise keep the conversation waiting in silence.
 */
export function longRunNote(facts: WatchFacts): AlertMessage[] {
  const { watch, now, rules } = facts;
  const oldest = facts.executions.filter((e) => !outcomeOf(e.status)).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))[0];
  if (!oldest || watch.longRunNoted === oldest.id || !isLongRun(oldest.startedAt, now, rules.minuteMs)) return [];
  const hours = LONG_RUN_MINUTES / 60;
  return [{
    key: messageKey(watch, `long-run|${oldest.id}`), watch, to: { thread: true },
    alert: { kind: 'longRun', projectName: watch.projectName, startedAt: oldest.startedAt, hours },
    summary: said('summary.longRun', { project: watch.projectName, hours }), onSent: { change: { longRunNoted: oldest.id } },
  }];
}

// What a run's alert says (also read by the run commands and the cards).

/** How many per-record errors an alert shows; "Show errors" shows more. */
export const ALERT_ERROR_COUNT = 3;
/** How many per-record errors the card of a run started from chat shows. */
export const RESULT_ERROR_COUNT = 5;
/** The rejected records the watcher names for a run's card, alert or result (either may be the one sent). */
export const CARD_ERROR_COUNT = Math.max(ALERT_ERROR_COUNT, RESULT_ERROR_COUNT);

/** The outcome of a finished run; undefined while it is queued or running. */
export function outcomeOf(status: ExecutionStatus): RunOutcome | undefined {
  return status === 'succeeded' || status === 'warning' || status === 'failed' ? status : undefined;
}

/** Whether a conversation at `level` hears about a run that ended so. "failures" includes warnings: records were lost. */
export function shouldNotify(level: NotifyLevel, outcome: RunOutcome): boolean {
  return level === 'all' || (level === 'failures' && outcome !== 'succeeded');
}

/**
 * When a run ended. The service may leave `endedAt` out: then when a look first saw it finished stands in (it had ended
 * by then), or, where no look did, its start.
 */
export function endOf(execution: Execution, seen?: Partial<RunSighting>): string {
  return execution.endedAt ?? seen?.endedBy ?? execution.startedAt;
}

/**
 * How long a run took, or undefined when the service did not say when it ended (or the times do not
 * parse). `startedAt` falls back to `submittedOn` where the service gives no `startedOn` (unverified
 * field): the duration then includes the time the run waited in the queue.
 */
export function runDurationMs(execution: Partial<Pick<Execution, 'startedAt' | 'endedAt'>>): number | undefined {
  if (!execution.endedAt || !execution.startedAt) return undefined;
  const ms = Date.parse(execution.endedAt) - Date.parse(execution.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Builds the alert of a finished run; `maxErrors` bounds the listed record errors; `seen`: what the looks saw of its end. */
export function runAlertOf(execution: Execution, outcome: RunOutcome, schedule?: Schedule, maxErrors = ALERT_ERROR_COUNT, seen?: RunSighting): RunAlert {
  const { endedAt } = execution;
  const listed = execution.recordErrors.slice(0, maxErrors);
  return {
    projectName: execution.projectName,
    executionId: execution.id,
    outcome,
    upserts: execution.upserts,
    errorCount: execution.errorCount,
    recordErrors: listed,
    moreErrors: Math.max(execution.errorCount, execution.recordErrors.length) - listed.length,
    message: execution.message,
    startedAt: execution.startedAt,
    ...(endedAt ? { endedAt } : seen && { endedBy: seen.endedBy }),
    durationMs: runDurationMs(execution),
    nextRunAt: schedule?.nextRunAt,
    schedule: scheduleViewOf(schedule),
  };
}

/** Whether the schedule can be paused, resumed, or neither. */
export function scheduleViewOf(schedule: Schedule | undefined): ScheduleView {
  if (!schedule || schedule.recurrence.kind === 'manual') return 'manual';
  return schedule.paused ? 'paused' : 'recurring';
}
