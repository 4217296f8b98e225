import type { Execution, ExecutionStatus, RecordError, Schedule } from '../integration/port';
import type { NotifyLevel } from './watchStore';

/** How a finished run ended, as an alert shows it. */
export type RunOutcome = 'succeeded' | 'warning' | 'failed';

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

/** The schedule as an alert's actions need it. */
export type ScheduleView = 'recurring' | 'paused' | 'manual';

/** Everything a run-completed alert says. */
export interface RunAlert {
  projectName: string;
  executionId: string;
  outcome: RunOutcome;
  upserts: number;
  errorCount: number;
  /** The first per-record errors. */
  recordErrors: RecordError[];
  /** Errors the alert does not list. */
  moreErrors: number;
  message?: string;
  startedAt: string;
  endedAt: string;
  /** Absent when the service gave no end time (the card then shows no duration rather than 0). */
  durationMs?: number;
  nextRunAt?: string;
  schedule: ScheduleView;
}

/** When a run ended; the service may leave `endedAt` out, then its start stands in. */
export function endOf(execution: Execution): string {
  return execution.endedAt ?? execution.startedAt;
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

/** Builds the alert of a finished run; `maxErrors` bounds the listed record errors. */
export function runAlertOf(execution: Execution, outcome: RunOutcome, schedule?: Schedule, maxErrors = ALERT_ERROR_COUNT): RunAlert {
  const endedAt = endOf(execution);
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
    endedAt,
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
