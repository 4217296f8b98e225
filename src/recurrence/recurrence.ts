import { z } from 'zod';
import type { Recurrence, RecurrenceUnit } from '../integration/port';
import { said, type Said } from '../words/words';

/** A recurrence as stored by the bot (the port's Recurrence). */
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

/** Reads "every 5 minutes", "every hour", "15 min"; undefined when the text is not a recurrence. */
export function parseRecurrence(text: string): Recurrence | undefined {
  const m = text.trim().match(/^(?:every\s+)?(\d+)?\s*([a-z]+)$/i);
  if (!m) return undefined;
  const unit = UNIT_WORDS.find(([pattern]) => pattern.test(m[2]))?.[1];
  const every = m[1] === undefined ? 1 : Number(m[1]);
  if (!unit || !Number.isSafeInteger(every) || every < 1) return undefined;
  return { kind: 'recurring', every, unit };
}

/** Splits "AccSync every 5 minutes" into the project and its recurrence, as the schedule command takes them. */
export function splitProjectAndRecurrence(text: string): { project: string; recurrence?: Recurrence } {
  const m = text.trim().match(/^(.*?)\s+(every\s+.+)$/i);
  const recurrence = m ? parseRecurrence(m[2]) : undefined;
  return recurrence && m ? { project: m[1].trim(), recurrence } : { project: text.trim() };
}
