import type {
  ConnectionSetView, PrerequisitesView, ProjectView, ReviewView, RunOrScheduleView, ServiceProblemView, SetupView,
} from '../setupRules/views';
import { describeRecurrence } from '../scheduleApprovals/recurrence';
import type { RecurringRecurrence } from '../integration/port';
import { SETUP_STEPS, SetupDraft, SetupStep } from '../setupRules/draft';
import { AdaptiveCardJson, cardTemplate, factText, literal } from './cardRenderer';

const prerequisitesCard = cardTemplate<PrerequisitesView>('setupPrerequisites');
const connectionSetCard = cardTemplate<ConnectionSetView>('setupConnectionSet');
const projectCard = cardTemplate<ProjectView>('setupProject');
const reviewCard = cardTemplate<ReviewView>('setupReview');
const runOrScheduleCard = cardTemplate<RunOrScheduleView & { projectTitle: string }>('setupRunOrSchedule');
const serviceProblemCard = cardTemplate<ServiceProblemView>('serviceProblem');
const answeredTemplate = cardTemplate<{ stepTitle: string; answer: string }>('setupAnswered');

/** What a step's card becomes once it is answered: what happened, and no buttons to click again. */
export function answeredSetupCard(stepTitle: string, answer: string): AdaptiveCardJson {
  return answeredTemplate({ stepTitle: literal(stepTitle), answer: literal(answer) });
}

/** What each step is called in the flow's texts. */
const STEP_NAMES: Record<SetupStep, string> = {
  prerequisites: 'prerequisites', connectionSet: 'connection set', project: 'project', review: 'review', runOrSchedule: 'run or schedule',
};

const position = (step: SetupStep) => `${SETUP_STEPS.indexOf(step) + 1} of ${SETUP_STEPS.length}`;

/** Where a step is, in a sentence: "step 2 of 5 (connection set)". */
export function stepPlace(step: SetupStep): string {
  return `step ${position(step)} (${STEP_NAMES[step]})`;
}

/** Why a card of the flow is no longer the one to use. */
export type CardRetired =
  /** A newer copy of the same card was sent below it. */
  | { why: 'moved' }
  | { why: 'cancelled' }
  /** The flow went on to another step; `after` is the draft as it then is. */
  | { why: 'answered'; after: SetupDraft; action: string }
  | { why: 'scheduled'; recurrence: RecurringRecurrence };

/** What a frozen card says: which step it was, and what was chosen or done there. */
export interface AnsweredStep { stepTitle: string; answer: string }

/** The text of the frozen form of a card shown at `before.step`. */
export function answeredStep(before: SetupDraft, retired: CardRetired): AnsweredStep {
  return { stepTitle: `Step ${position(before.step)}: ${STEP_NAMES[before.step]}`, answer: answerOf(before, retired) };
}

function answerOf(before: SetupDraft, retired: CardRetired): string {
  switch (retired.why) {
    case 'moved': return 'Moved below: use the newest card.';
    case 'cancelled': return before.created.projectName ? `Setup closed: project ${before.created.projectName} is kept.` : 'Setup cancelled.';
    case 'scheduled': return `Schedule requested, ${describeRecurrence(retired.recurrence)}: the approval card is below.`;
    case 'answered': return wentOn(before, retired.after, retired.action);
  }
}

function wentOn(before: SetupDraft, after: SetupDraft, action: string): string {
  if (SETUP_STEPS.indexOf(after.step) < SETUP_STEPS.indexOf(before.step)) {
    return action === 'back' ? 'Went back one step: it is below.' : `The service refused it: fix it on the ${STEP_NAMES[after.step]} card below.`;
  }
  return `${chosenAt(before.step, after) ?? 'Answered'}. The next step is below.`;
}

/** What the person chose at `step`, as the draft after it holds it. */
function chosenAt(step: SetupStep, after: SetupDraft): string | undefined {
  const { connectionSet: set, project, created } = after;
  switch (step) {
    case 'prerequisites': return 'Everything needed is in place';
    case 'connectionSet': return set && (set.mode === 'new' ? `Connection set: ${set.spec.name} (new)` : `Connection set: ${set.name} (existing)`);
    case 'project': return project && `Project: ${project.name}; template: ${project.templateName}`;
    case 'review': return created.projectName && `Created: project ${created.projectName}`;
    case 'runOrSchedule': return undefined;
  }
}

/**
 * The card of a setup form's view. Text that lands in markdown is escaped here. With `owner`, every
 * button's data names whose setup it is, so that anyone else who clicks is told so by name.
 */
export function setupCard(view: SetupView, owner?: string): AdaptiveCardJson {
  const card = formCard(view);
  if (owner !== undefined) forEachAction(card, (data) => { data.owner = owner; });
  return card;
}

function formCard(view: SetupView): AdaptiveCardJson {
  switch (view.form) {
    case 'prerequisites': return prerequisitesCard(view.view);
    case 'connectionSet': return connectionSetCard(view.view);
    case 'project': return projectCard(view.view);
    case 'review': return reviewCard({ ...view.view, facts: view.view.facts.map((f) => ({ title: f.title, value: factText(f.value) })) });
    case 'runOrSchedule': return withoutEmptyNumber(runOrScheduleCard({ ...view.view, projectTitle: literal(view.view.projectName) }));
    case 'serviceProblem': return serviceProblemCard(view.view);
  }
}

/** Calls `stamp` with the data of every Action.Submit / Action.Execute of the card. */
function forEachAction(card: AdaptiveCardJson, stamp: (data: Record<string, unknown>) => void): void {
  forEachNode(card, (n) => {
    if ((n.type === 'Action.Submit' || n.type === 'Action.Execute') && n.data && typeof n.data === 'object') stamp(n.data as Record<string, unknown>);
  });
}

/** Input.Number takes a JSON number or no value at all: an empty field (what was typed was no number) has none. */
function withoutEmptyNumber(card: AdaptiveCardJson): AdaptiveCardJson {
  forEachNode(card, (n) => {
    if (n.type === 'Input.Number' && n.value === null) delete n.value;
  });
  return card;
}

/** Calls `each` on every object of the card, depth first. */
function forEachNode(card: AdaptiveCardJson, each: (node: Record<string, unknown>) => void): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      each(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    }
  };
  visit(card);
}
