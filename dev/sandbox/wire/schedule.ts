import { z } from 'zod';
import type { Cadence, CadenceUnit } from '../store/scheduleStore';

/** Every frequency but `Manual` recurs; each names the calendar unit it steps by. */
const UNIT_BY_FREQUENCY = {
  Minute: 'minutes',
  Hour: 'hours',
  Day: 'days',
  Week: 'weeks',
  Month: 'months',
} as const satisfies Record<string, CadenceUnit>;

type RecurringFrequency = keyof typeof UNIT_BY_FREQUENCY;

/** A recurrence on the wire: `Manual`, or every `interval` (1 when absent) of a frequency. */
const recurrenceRequestSchema = z.object({
  frequency: z.enum(['Manual', ...(Object.keys(UNIT_BY_FREQUENCY) as RecurringFrequency[])]),
  interval: z.number().int().min(1).max(1000).nullish(),
});

/** What `PUT api/Project/{projectName}/Schedule` accepts. */
export const scheduleRequestSchema = z.object({ recurrence: recurrenceRequestSchema });

/** A recurrence as the sandbox writes it; a manual one carries no interval. */
export type RecurrenceWire = { frequency: 'Manual' } | { frequency: RecurringFrequency; interval: number };

/** A project's schedule; `nextRunTime` is null when manual or paused. */
export interface ScheduleWire {
  projectName: string;
  recurrence: RecurrenceWire;
  isPaused: boolean;
  nextRunTime: string | null;
}

/** The stored cadence of a requested recurrence; none for `Manual`. */
export function cadenceOf(request: z.infer<typeof recurrenceRequestSchema>): Cadence | undefined {
  const { frequency, interval } = request;
  return frequency === 'Manual' ? undefined : { every: interval ?? 1, unit: UNIT_BY_FREQUENCY[frequency] };
}

/** A stored cadence on the wire. */
export function recurrenceWire(cadence: Cadence | undefined): RecurrenceWire {
  if (!cadence) return { frequency: 'Manual' };
  const frequency = (Object.keys(UNIT_BY_FREQUENCY) as RecurringFrequency[]).find((f) => UNIT_BY_FREQUENCY[f] === cadence.unit);
  if (!frequency) throw new Error(`No frequency steps by ${cadence.unit}`);
  return { frequency, interval: cadence.every };
}
