import { z } from 'zod';
import { RECURRENCE_EVERY_MAX, type Recurrence, type RecurrenceUnit, type Schedule } from '../port';

/** Recurrence frequencies on the wire (unverified names, modelled on Azure recurrences). */
const FREQUENCY_BY_UNIT = {
  minutes: 'Minute',
  hours: 'Hour',
  days: 'Day',
  weeks: 'Week',
  months: 'Month',
} as const satisfies Record<RecurrenceUnit, string>;

const UNIT_BY_FREQUENCY = Object.fromEntries(
  Object.entries(FREQUENCY_BY_UNIT).map(([unit, frequency]) => [frequency, unit as RecurrenceUnit]),
) as Record<string, RecurrenceUnit>;

const recurrenceWireSchema = z.object({
  frequency: z.enum(['Manual', 'Minute', 'Hour', 'Day', 'Week', 'Month']),
  interval: z.number().int().min(1).max(RECURRENCE_EVERY_MAX).nullish(),
});

/** The body that saves a schedule (unverified). */
export const scheduleRequestWireSchema = z.object({ recurrence: recurrenceWireSchema });

/** A project's schedule (unverified). */
export const scheduleWireSchema = z.object({
  projectName: z.string(),
  recurrence: recurrenceWireSchema,
  isPaused: z.boolean(),
  nextRunTime: z.string().nullish(),
});

/** Wire types, as the sandbox reads and writes them. */
export type RecurrenceWire = z.infer<typeof recurrenceWireSchema>;
export type ScheduleWire = z.input<typeof scheduleWireSchema>;

/** Converts a wire recurrence to the domain type. */
export function toRecurrence(wire: RecurrenceWire): Recurrence {
  const unit = UNIT_BY_FREQUENCY[wire.frequency];
  return unit ? { kind: 'recurring', every: wire.interval ?? 1, unit } : { kind: 'manual' };
}

/** Converts a domain recurrence to the wire. */
export function toRecurrenceWire(recurrence: Recurrence): RecurrenceWire {
  return recurrence.kind === 'manual'
    ? { frequency: 'Manual' }
    : { frequency: FREQUENCY_BY_UNIT[recurrence.unit], interval: recurrence.every };
}

/** Converts a schedule to the domain type. */
export function toSchedule(wire: z.infer<typeof scheduleWireSchema>): Schedule {
  return {
    projectName: wire.projectName,
    recurrence: toRecurrence(wire.recurrence),
    paused: wire.isPaused,
    ...(wire.nextRunTime ? { nextRunAt: wire.nextRunTime } : {}),
  };
}
