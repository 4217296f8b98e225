import { recurrenceMinutes } from '../recurrence/nextRunTimes';
import type { Schedule } from '../integration/port';

/** How long past twice its interval a schedule may be late before it counts as stalled. */
export const DEFAULT_STALL_GRACE_MINUTES = 5;

/**
 * How long a run may be in progress before the watcher says so, once (in schedule minutes). The service moves at most
 * 500,000 rows in one run, and Dataverse lets one user make 6,000 requests in 5 minutes: even at one request per row,
 * the largest run ends within 7 hours. A run still in progress after 12 hours is past what those limits explain.
 */
export const LONG_RUN_MINUTES = 12 * 60;

/** What a stall check needs besides the schedule. */
export interface StallInput {
  schedule: Schedule;
  /** The schedule's last sign of life (ms, see lastRunAt). */
  lastRunAt: number;
  /** Whether a run of the project is in progress (queued or running). */
  going: boolean;
  now: Date;
  /** The length of a schedule minute in ms (the sandbox runs a faster clock). */
  minuteMs: number;
  graceMinutes: number;
}

/**
 * The last sign of life of a schedule: the latest of its runs' submissions and ends (`times`), or when the watcher first
 * saw it active (a schedule younger than its interval has not missed a run).
 */
export function lastRunAt(times: ReadonlyArray<string | undefined>, activeSince: string): number {
  return Math.max(Date.parse(activeSince), ...times.map((t) => (t ? Date.parse(t) : NaN)).filter(Number.isFinite));
}

/**
 * True when an active recurring schedule has shown no sign of life for twice its interval plus the grace period. Twice,
 * because the service lets the next run wait for a long previous one; and from a run's end, not only its start. A run in
 * progress is never a stall, however long it takes: the next scheduled run waits for it (the product's documented rule).
 */
export function isStalled(input: StallInput): boolean {
  const { schedule } = input;
  if (schedule.recurrence.kind !== 'recurring' || schedule.paused || input.going) return false;
  const allowedMs = (2 * recurrenceMinutes(schedule.recurrence) + input.graceMinutes) * input.minuteMs;
  return input.now.getTime() - input.lastRunAt > allowedMs;
}

/** Whether a run in progress since `startedAt` has been going for longer than LONG_RUN_MINUTES. */
export function isLongRun(startedAt: string, now: Date, minuteMs: number): boolean {
  return now.getTime() - Date.parse(startedAt) > LONG_RUN_MINUTES * minuteMs;
}
