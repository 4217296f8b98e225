import type { Recurrence, RecurrenceUnit } from '../../../src/integration/port';

const UNIT_MINUTES: Readonly<Record<Exclude<RecurrenceUnit, 'months'>, number>> = {
  minutes: 1,
  hours: 60,
  days: 1440,
  weeks: 10_080,
};
const REAL_MINUTE_MS = 60_000;

/** When a recurrence fires next after `from`; months are calendar months on the real clock, 30 days when scaled. */
export function nextRunFrom(recurrence: Extract<Recurrence, { kind: 'recurring' }>, from: number, minuteMs: number): number {
  const { every, unit } = recurrence;
  if (unit === 'months' && minuteMs === REAL_MINUTE_MS) {
    const date = new Date(from);
    date.setUTCMonth(date.getUTCMonth() + every);
    return date.getTime();
  }
  return from + every * (unit === 'months' ? 30 * UNIT_MINUTES.days : UNIT_MINUTES[unit]) * minuteMs;
}

/** The run after a due one; if the sandbox was down past it, counted from now so missed runs do not pile up. */
export function nextRunAfterDue(
  recurrence: Extract<Recurrence, { kind: 'recurring' }>,
  due: number,
  now: number,
  minuteMs: number,
): number {
  const next = nextRunFrom(recurrence, due, minuteMs);
  return next > now ? next : nextRunFrom(recurrence, now, minuteMs);
}
