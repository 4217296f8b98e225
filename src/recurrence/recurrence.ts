import { z } from 'zod';
import { RECURRENCE_EVERY_MAX, type Recurrence, type RecurrenceUnit } from '../integration/port';
import { said, type Said } from '../words/words';

/**
 * A recurrence as stored by the bot (the port's Recurrence). Its interval has no upper bound here, so that a request
 * stored before the bound still reads: the bound is checked where a recurrence is asked for (`everyInRange`).
 */
export const recurrenceSchema: z.ZodType<Recurrence> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('recurring'), every: z.number().int().min(1), unit: z.enum(['minutes', 'hours', 'days', 'weeks', 'months']) }),
]);

const UNIT_WORDS: ReadonlyArray<[RegExp, RecurrenceUnit]> = [
  [/^min(ute)?s?$/i, 'minutes'],
  [/^(hrs?|hours?)$/i, 'hours'],
  [/^days?$/i, 'days'],
  [/^weeks?$/i, 'weeks'],
  [/^months?$/i, 'months'],
];

/** A recurrence in a sentence, in the person's language: "every 5 minutes", "alle 5 Minuten". */
export function recurrenceWords(recurrence: Recurrence): Said {
  return recurrence.kind === 'manual' ? said('recurrence.manual') : said('recurrence.every', { every: recurrence.every, unit: recurrence.unit });
}

/** A recurrence as the `schedule` command reads it (English, whatever the person's language): "every 5 minutes", "every hour". */
export function describeRecurrence(recurrence: Recurrence): string {
  if (recurrence.kind === 'manual') return 'run manually';
  const singular = recurrence.unit.slice(0, -1);
  return recurrence.every === 1 ? `every ${singular}` : `every ${recurrence.every} ${recurrence.unit}`;
}

/** Whether a recurrence may repeat every `every` units: a whole number the service takes (1 to RECURRENCE_EVERY_MAX). */
export function everyInRange(every: number): boolean {
  return Number.isInteger(every) && every >= 1 && every <= RECURRENCE_EVERY_MAX;
}

/** "every 5 minutes", "every hour", "15 min" read as a unit and the number as typed (unchecked); undefined when not that shape. */
function readRecurrence(text: string): { digits: string; unit: RecurrenceUnit } | undefined {
  const m = text.trim().match(/^(?:every\s+)?(\d+)?\s*([a-z]+)$/i);
  const unit = m && UNIT_WORDS.find(([pattern]) => pattern.test(m[2]))?.[1];
  return m && unit ? { digits: m[1] ?? '1', unit } : undefined;
}

/** Reads "every 5 minutes", "every hour", "15 min"; undefined when the text is not a recurrence the service takes. */
export function parseRecurrence(text: string): Recurrence | undefined {
  const read = readRecurrence(text);
  return read && everyInRange(Number(read.digits)) ? { kind: 'recurring', every: Number(read.digits), unit: read.unit } : undefined;
}

/** What the schedule command reads: the project, and its recurrence or why the recurrence it ends with cannot be taken. */
export type ScheduleText = { project: string; recurrence?: Recurrence; refused?: Said };

/**
 * Splits "AccSync every 5 minutes" into the project and its recurrence, as the schedule command takes them. The
 * recurrence is what follows the last " every " that starts one, so a project's name may itself say "every".
 */
export function splitProjectAndRecurrence(text: string): ScheduleText {
  const trimmed = text.trim();
  for (const split of [...trimmed.matchAll(/\s+(?=every\s)/gi)].reverse()) {
    const rest = trimmed.slice(split.index + split[0].length);
    const read = readRecurrence(rest);
    if (!read) continue;
    const project = trimmed.slice(0, split.index);
    const recurrence = parseRecurrence(rest);
    return recurrence ? { project, recurrence } : { project, refused: said('approval.intervalLimit', { project, every: read.digits, unit: read.unit, max: RECURRENCE_EVERY_MAX }) };
  }
  return { project: trimmed };
}
