import { recurrenceMinutes } from '../recurrence/nextRunTimes';
import type { Execution, Schedule } from '../integration/port';

/** How long past twice its interval a schedule may be late before it counts as stalled. */
export const DEFAULT_STALL_GRACE_MINUTES = 5;

/** What a stall check needs besides the schedule. */
export interface StallInput {
  schedule: Schedule;
  executions: readonly Execution[];
  /** When the watcher first saw this schedule active: a schedule younger than its interval has not missed a run. */
  activeSince: string;
  now: Date;
  /** The length of a schedule minute in ms (the sandbox runs a faster clock). */
  minuteMs: number;
  graceMinutes: number;
}

/** The last sign of life of a schedule: its latest run's submission, or when it became active. */
export function lastRunAt(executions: readonly Execution[], activeSince: string): number {
  return Math.max(Date.parse(activeSince), ...executions.map((e) => Date.parse(e.submittedAt)).filter(Number.isFinite));
}

/**
 * True when an active recurring schedule has not started a run for twice its interval plus the
 * grace period. Twice, because the service lets the next run wait for a long previous one.
 */
export function isStalled(input: StallInput): boolean {
  const { schedule } = input;
  if (schedule.recurrence.kind !== 'recurring' || schedule.paused) return false;
  const allowedMs = (2 * recurrenceMinutes(schedule.recurrence) + input.graceMinutes) * input.minuteMs;
  return input.now.getTime() - lastRunAt(input.executions, input.activeSince) > allowedMs;
}
