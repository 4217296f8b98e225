import { addRecurrence } from '../recurrence/nextRunTimes';
import type { Schedule } from '../integration/port';

/**
 * A schedule read earlier, carried forward to `now`: a recurring schedule's next run after now,
 * stepped from the last announced one by its recurrence. So the watcher need not read the
 * schedule again at every poll to tell the next run after a run finished.
 */
export function scheduleAsOf(schedule: Schedule, now: Date): Schedule {
  if (schedule.recurrence.kind !== 'recurring' || schedule.paused || !schedule.nextRunAt) return schedule;
  let next = new Date(schedule.nextRunAt);
  if (Number.isNaN(next.getTime())) return schedule;
  for (let i = 0; next <= now && i < 100_000; i++) next = addRecurrence(next, schedule.recurrence);
  return { ...schedule, nextRunAt: next.toISOString() };
}
