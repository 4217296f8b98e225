import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DataIntegration, isDataIntegrationError, RecurringRecurrence } from '../integration/port';
import { previousStep, nextStep, SETUP_STEPS, SetupDraft, setupDraftSchema, SetupStep } from './draft';
import { connectionSetForm } from './forms/connectionSetForm';
import { FormOutcome, FormProblems, setupActionSchema, SetupForm } from './forms/form';
import { sentStrings } from './forms/formInputs';
import { prerequisitesForm } from './forms/prerequisitesForm';
import { projectForm } from './forms/projectForm';
import { reviewForm } from './forms/reviewForm';
import { runOrScheduleForm } from './forms/runOrScheduleForm';
import { adviceFor, explain, isTransient, needsSignIn } from '../integration/errorCatalogue';
import { said, type Said } from '../words/words';
import { storedSaidSchema } from '../words/saidSchema';
import { SetupView } from './views';

/** How many sent cards a flow remembers: five steps, with Back and re-shows, stay well under it. */
const CARDS_KEPT = 40;
/** The longest typed value kept for "Try again", and how many are kept (the forms have a few inputs each, all shorter). */
const TYPED_MAX = 400;
const TYPED_KEPT = 12;
/** What every setup card's buttons send besides the inputs. */
const ACTION_KEYS = new Set(['verb', 'flowId', 'step', 'action']);

const FORMS: Record<SetupStep, SetupForm> = {
  prerequisites: prerequisitesForm,
  connectionSet: connectionSetForm,
  project: projectForm,
  review: reviewForm,
  runOrSchedule: runOrScheduleForm,
};

/** The flow's persistent state: the draft, the problems to show on the current form, and the message of its card. */
export const flowStateSchema = z.object({
  draft: setupDraftSchema,
  problems: z.object({
    errors: z.record(z.string(), storedSaidSchema).optional(),
    problem: storedSaidSchema.optional(),
    inputs: z.record(z.string(), z.string()).optional(),
  }).default({}),
  /**
   * The message id of the flow's current card, so that a newer copy can freeze it and a click that
   * names no card (a typed message; a client without replyToId) still updates it. Absent in state
   * stored before it was kept, and where the channel gives no ids.
   */
  cardId: z.string().min(1).max(500).optional(),
  /** Every card the flow sent (newest last) and the step it showed: a click is judged by the card it came from. */
  cards: z.array(z.object({ id: z.string().min(1).max(500), step: z.enum(SETUP_STEPS) })).max(CARDS_KEPT).optional(),
  /**
   * What the person typed on the form whose submission a service failure stopped: the service-problem card promises
   * that nothing entered is lost, so its "Try again" shows the form with it. Kept only while that card is the one shown.
   */
  typed: z.record(z.string().max(50), z.string().max(TYPED_MAX)).refine((t) => Object.keys(t).length <= TYPED_KEPT).optional(),
});
export type FlowState = z.infer<typeof flowStateSchema>;

/** The flow now shows its current step on card `cardId` (a new card, or one updated in place); it remembers which step that card shows. */
export function onCard(state: FlowState, cardId: string | undefined): FlowState {
  if (!cardId) return { ...state, cardId };
  const cards = [...(state.cards ?? []).filter((c) => c.id !== cardId), { id: cardId, step: state.draft.step }].slice(-CARDS_KEPT);
  return { ...state, cardId, cards };
}

const EARLIER_CARD = said('flow.earlierCard');

/** What the conversation layer must do after a submission. */
export type FlowResult =
  | { kind: 'show'; state: FlowState; view: SetupView }
  /** Nothing to do; `alreadyCreated` names the project when the click was a second "Create". */
  | { kind: 'stale'; message: Said; alreadyCreated?: string }
  | { kind: 'cancel' }
  | { kind: 'run'; state: FlowState; projectName: string }
  | { kind: 'schedule'; state: FlowState; projectName: string; recurrence: RecurringRecurrence };

/** A new flow for a person. */
export function newFlow(owner: SetupDraft['owner']): FlowState {
  return { draft: { flowId: randomUUID(), owner, step: 'prerequisites', created: {} }, problems: {} };
}

/** What the current form shows; a service failure becomes a view with "Try again". */
export async function viewOfFlow(di: DataIntegration, state: FlowState): Promise<SetupView> {
  const form = FORMS[state.draft.step];
  try {
    return await form.render({ di, draft: state.draft, ...state.problems, ...(state.typed && { inputs: state.typed }) });
  } catch (err) {
    return serviceProblemView(state.draft, err);
  }
}

/**
 * Applies one card submission to the flow. Anything not meant for the current form changes nothing:
 * the card it came from (`repliedTo`, Teams' replyToId) must be one the flow sent for the step the
 * data names; a card the flow does not know (or none named) may act only at the current step.
 */
export async function submitToFlow(di: DataIntegration, state: FlowState, value: unknown, repliedTo?: string): Promise<FlowResult> {
  const action = setupActionSchema.safeParse(value);
  if (!action.success || action.data.flowId !== state.draft.flowId) {
    return { kind: 'stale', message: said('flow.notCurrent') };
  }
  const card = repliedTo ? state.cards?.find((c) => c.id === repliedTo) : undefined;
  if (card && card.step !== action.data.step) return { kind: 'stale', message: EARLIER_CARD };
  if (action.data.action === 'cancel') return { kind: 'cancel' };
  if (action.data.step !== state.draft.step) {
    const created = state.draft.created.projectName;
    if (action.data.step === 'review' && created) {
      // A second "Create" (a double click, or Teams delivering the click again) creates nothing.
      return { kind: 'stale', message: said('flow.alreadyCreated', { project: created }), alreadyCreated: created };
    }
    return { kind: 'stale', message: EARLIER_CARD };
  }
  if (action.data.action === 'back') return goBack(di, state.draft);
  // What this try sent joins what was kept, within the same bound: the flow's state must read back whatever a client sends.
  if (action.data.action === 'refresh' && state.typed) return showTyped(di, state.draft, typedOn({ ...state.typed, ...typedOn(value) }));
  let outcome: FormOutcome;
  try {
    outcome = await FORMS[state.draft.step].submit({ di, draft: state.draft }, action.data, value);
  } catch (err) {
    if (!isDataIntegrationError(err)) throw err;
    const typed = typedOn(value);
    return { kind: 'show', state: Object.keys(typed).length > 0 ? { ...state, typed } : state, view: serviceProblemView(state.draft, err) };
  }
  switch (outcome.go) {
    case 'stay': return show(di, { draft: outcome.draft, problems: pick(outcome) });
    case 'to': return show(di, { draft: { ...outcome.draft, step: outcome.step }, problems: pick(outcome) });
    case 'back': return goBack(di, outcome.draft);
    case 'next': return show(di, { draft: { ...outcome.draft, step: nextStep(state.draft.step) ?? state.draft.step }, problems: {} });
    case 'run': return { kind: 'run', state: { draft: outcome.draft, problems: {} }, projectName: outcome.draft.created.projectName! };
    case 'schedule': return { kind: 'schedule', state: { draft: outcome.draft, problems: {} }, projectName: outcome.draft.created.projectName!, recurrence: outcome.recurrence! };
  }
}

/**
 * The current form again, as it was before a failure (the person signed in again): with what was typed on it when the
 * service refused the submission, kept as "Try again" keeps it. The flow's cards are the caller's to record.
 */
export async function formAgain(di: DataIntegration, state: FlowState): Promise<{ state: FlowState; view: SetupView }> {
  return state.typed ? showTyped(di, state.draft, state.typed) : { state, view: await viewOfFlow(di, state) };
}

function goBack(di: DataIntegration, draft: SetupDraft): Promise<FlowResult> {
  return show(di, { draft: { ...draft, step: previousStep(draft.step) ?? draft.step }, problems: {} });
}

async function show(di: DataIntegration, state: FlowState): Promise<FlowResult> {
  return { kind: 'show', state, view: await viewOfFlow(di, state) };
}

/** The inputs a card sent, as the form shows them again: its strings, without the button's own data. */
function typedOn(value: unknown): Record<string, string> {
  const sent = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  // A client can send anything: only a form's worth of short strings is kept in the flow's state.
  const inputs = Object.keys(sent).filter((k) => !ACTION_KEYS.has(k) && k.length <= 50 && typeof sent[k] === 'string');
  return sentStrings(sent, inputs.slice(0, TYPED_KEPT), TYPED_MAX);
}

/** The form again with what was typed on it; while the service still fails, the typed inputs stay kept for the next try. */
async function showTyped(di: DataIntegration, draft: SetupDraft, typed: Record<string, string>): Promise<FlowResult & { kind: 'show' }> {
  const state: FlowState = { draft, problems: { inputs: typed } };
  const view = await viewOfFlow(di, state);
  return { kind: 'show', state: view.form === 'serviceProblem' ? { ...state, typed } : state, view };
}

function pick(p: FormProblems): FormProblems {
  return { errors: p.errors, problem: p.problem, inputs: p.inputs };
}

function serviceProblemView(draft: SetupDraft, err: unknown): SetupView {
  if (!isDataIntegrationError(err)) throw err;
  return { form: 'serviceProblem', view: {
    flowId: draft.flowId,
    step: draft.step,
    title: adviceFor(err).title,
    message: isTransient(err)
      ? said('text.serviceProblem', { text: { long: err.message } })
      : said('text.serviceRefused', { text: explain(err), next: adviceFor(err).next }),
    signIn: needsSignIn(err),
  } };
}
