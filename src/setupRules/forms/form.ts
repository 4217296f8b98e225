import { z } from 'zod';
import { DataIntegration, RecurringRecurrence } from '../../integration/port';
import { SETUP_STEPS, SetupDraft, SetupStep } from '../draft';
import type { Said } from '../../words/words';
import { FieldErrors, SetupView } from '../views';
import { VERBS } from '../../verbs';
import { byName } from '../naming';

/** What every setup card's buttons send besides the inputs: which flow, which form, which button. */
export const setupActionSchema = z.object({
  verb: z.literal(VERBS.setup),
  flowId: z.string().min(1).max(100),
  step: z.enum(SETUP_STEPS),
  action: z.enum(['next', 'back', 'cancel', 'refresh', 'run', 'schedule']),
});
export type SetupAction = z.infer<typeof setupActionSchema>;

/** Problems to show on a form: per input (next to the field) and for the whole form. */
export interface FormProblems {
  errors?: Record<string, Said>;
  problem?: Said;
  /** What the person typed, shown again so that nothing entered is lost. */
  inputs?: Record<string, string>;
}

/** What a form needs to render or handle a submission. */
export interface FormContext extends FormProblems {
  di: DataIntegration;
  draft: SetupDraft;
}

/** Where the flow goes after a submission. `stay` re-renders the form with its problems. */
export type FormOutcome =
  | ({ go: 'stay'; draft: SetupDraft } & FormProblems)
  | ({ go: 'to'; step: SetupStep; draft: SetupDraft } & FormProblems)
  | { go: 'next' | 'back'; draft: SetupDraft }
  | { go: 'run' | 'schedule'; draft: SetupDraft; recurrence?: RecurringRecurrence };

/** One form of the setup flow: what its card shows and the rules of its inputs. */
export interface SetupForm {
  step: SetupStep;
  render(context: FormContext): Promise<SetupView>;
  /** Handles the form's own buttons ("next", "refresh", …); back and cancel are handled by the flow. */
  submit(context: FormContext, action: SetupAction, inputs: unknown): Promise<FormOutcome>;
}

/** The form's errors by input, every input named (undefined: no error). */
export function errorsView<K extends string>(errors: Record<string, Said> | undefined, keys: readonly K[]): FieldErrors<K> {
  return Object.fromEntries(keys.map((k) => [k, errors?.[k]])) as FieldErrors<K>;
}

/**
 * A list as the card offers it: what is picked first (kept whatever `filter` says: the card must still show it), then
 * those with `filter` in one of their names (any case), by those names. A big tenant's lists do not fit one card: the
 * card shows as many as fit from the start, and `filter` ("Find" on the card) reaches the others. `matched` counts
 * those the filter found.
 */
export function offered<T extends { value: string; names: string[] }>(items: readonly T[], picked: string, filter: string): { items: T[]; matched: number } {
  const part = filter.toLocaleLowerCase();
  const first = items.filter((i) => i.value === picked);
  const found = items.filter((i) => i.value !== picked && i.names.some((n) => n.toLocaleLowerCase().includes(part)))
    .sort((a, b) => a.names.reduce((order, n, k) => order || byName(n, b.names[k] ?? ''), 0));
  return { items: [...first, ...found], matched: found.length };
}
