import { utc } from '@date-fns/utc';
import { add } from 'date-fns';
import type { Cadence } from '../store/scheduleStore';

const REAL_MINUTE_MS = 60_000;

/**
 * When a cadence fires next after `from`. The step is the calendar step date-fns `add` takes from
 * `from` in UTC (months are calendar months, clamped to shorter months, as the bot counts them). A scaled
 * clock (`minuteMs` other than a real minute) stretches or shrinks that step in proportion, so that a
 * 1-minute cadence fires every `minuteMs` and a monthly one after 28 to 31 sandbox days.
 */
export function nextRunFrom(cadence: Cadence, from: number, minuteMs: number): number {
  const step = add(from, { [cadence.unit]: cadence.every }, { in: utc }).getTime() - from;
  return minuteMs === REAL_MINUTE_MS ? from + step : from + Math.round((step / REAL_MINUTE_MS) * minuteMs);
}

/** The run after a due one; if the sandbox was down past it, counted from now so missed runs do not pile up. */
export function nextRunAfterDue(cadence: Cadence, due: number, now: number, minuteMs: number): number {
  const next = nextRunFrom(cadence, due, minuteMs);
  return next > now ? next : nextRunFrom(cadence, now, minuteMs);
}
