import type { z } from 'zod';
import type { Said } from '../../words/words';

/** A card's inputs after the check: the values, or an error per offending input and the inputs worth showing again. */
export type CheckedInputs<T> =
  | { ok: true; inputs: T }
  | { ok: false; errors: Record<string, Said>; inputs: Record<string, string> };

/** Longest value shown again on a card after a refusal; anything longer is not worth keeping. */
const SHOWN_AGAIN_MAX = 400;

/**
 * Checks a card submission against the form's schema. A client can send anything (a number, an
 * array, 100 KB of text): every input the schema refuses gets the form's message for that input,
 * so the card says what to fix and the flow stays where it was.
 */
export function checkInputs<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  raw: unknown,
  messages: Readonly<Record<string, Said>>,
): CheckedInputs<z.infer<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, inputs: parsed.data };
  const errors: Record<string, Said> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[messages[field] ? field : Object.keys(messages)[0]] ??= messages[field] ?? messages[Object.keys(messages)[0]];
  }
  return { ok: false, errors, inputs: shownAgain(raw, Object.keys(messages), errors) };
}

/** The inputs that were fine, as the card shows them again; refused ones are left out. */
function shownAgain(raw: unknown, fields: readonly string[], errors: Record<string, Said>): Record<string, string> {
  const values = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const kept: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field];
    if (!errors[field] && typeof value === 'string' && value.length <= SHOWN_AGAIN_MAX) kept[field] = value.trim();
  }
  return kept;
}

/** The inputs among `keys` a card sent as text, as sent but cut to `max`: for a re-render ("Preview", "Find"), not a check. */
export function sentStrings(raw: unknown, keys: readonly string[], max = SHOWN_AGAIN_MAX): Record<string, string> {
  const sent = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return Object.fromEntries(keys.filter((k) => typeof sent[k] === 'string').map((k) => [k, (sent[k] as string).slice(0, max)]));
}
