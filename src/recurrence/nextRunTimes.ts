import { utc } from '@date-fns/utc';
import { add } from 'date-fns';
import type { Recurrence, RecurrenceUnit, RecurringRecurrence } from '../integration/port';

const MINUTES_PER_UNIT: Record<Exclude<RecurrenceUnit, 'months'>, number> = { minutes: 1, hours: 60, days: 1440, weeks: 10080 };

/**
 * `steps` recurrence steps after `from` (before it when negative), in UTC whatever the process's time zone (a day is
 * always 24 hours, across daylight saving time too). Months are calendar months, clamped to shorter months
 * (Jan 31 + 1 month = Feb 28), as date-fns counts them.
 */
export function addRecurrence(from: Date, recurrence: RecurringRecurrence, steps = 1): Date {
  return new Date(add(from, { [recurrence.unit]: recurrence.every * steps }, { in: utc }).getTime());
}

/** The next `count` runs of a schedule saved at `from` (the first run waits one interval); none when manual. */
export function nextRunTimes(recurrence: Recurrence, from: Date, count = 3): Date[] {
  if (recurrence.kind !== 'recurring') return [];
  const times: Date[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    at = addRecurrence(at, recurrence);
    times.push(at);
  }
  return times;
}

/** The longest one interval can last, in minutes (a month counts 31 days): what a stall check may wait for. */
export function recurrenceMinutes(recurrence: RecurringRecurrence): number {
  return recurrence.every * (recurrence.unit === 'months' ? 31 * 1440 : MINUTES_PER_UNIT[recurrence.unit]);
}
