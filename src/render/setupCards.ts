import type { SetupView } from '../setupRules/views';
import { recurrenceWords } from '../recurrence/recurrence';
import type { RecurringRecurrence } from '../integration/port';
import { SETUP_STEPS, SetupDraft, SetupStep } from '../setupRules/draft';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate, forEachNode } from './cardRenderer';
import { setupFormCard } from './setupFormCards';

const answeredTemplate = cardTemplate<{ stepTitle: CardText; answer: CardText }>('setupAnswered');

/** What a step's card becomes once it is answered: what happened, and no buttons to click again. */
export function answeredSetupCard(step: AnsweredStep, words: Words = ENGLISH): AdaptiveCardJson {
  return answeredTemplate({ stepTitle: words.card(step.stepTitle), answer: words.card(step.answer) }, words);
}

const stepName = (step: SetupStep) => said('step.name', { step });
const position = (step: SetupStep) => ({ n: SETUP_STEPS.indexOf(step) + 1, total: SETUP_STEPS.length });

/** Where a step is, in a sentence: "step 2 of 5 (connection set)". */
export function stepPlace(step: SetupStep): Said {
  return said('step.place', { ...position(step), name: stepName(step) });
}

/** Why a card of the flow is no longer the one to use. */
export type CardRetired =
  /** A newer copy of the same card was sent below it. */
  | { why: 'moved' }
  | { why: 'cancelled' }
  /** The flow went on to another step; `after` is the draft as it then is. */
  | { why: 'answered'; after: SetupDraft; action: string }
  | { why: 'scheduled'; recurrence: RecurringRecurrence }
  /** "Run now": the run has a card of its own, with the result and what to do next. */
  | { why: 'ran' };

/** What a frozen card says: which step it was, and what was chosen or done there. */
export interface AnsweredStep { stepTitle: Said; answer: Said }

/** The text of the frozen form of a card shown at `before.step`. */
export function answeredStep(before: SetupDraft, retired: CardRetired): AnsweredStep {
  return { stepTitle: said('step.title', { ...position(before.step), name: stepName(before.step) }), answer: answerOf(before, retired) };
}

function answerOf(before: SetupDraft, retired: CardRetired): Said {
  switch (retired.why) {
    case 'moved': return said('answered.moved');
    case 'cancelled': return before.created.projectName ? said('answered.closedKept', { project: before.created.projectName }) : said('answered.cancelled');
    case 'scheduled': return said('answered.scheduled', { recurrence: recurrenceWords(retired.recurrence) });
    case 'ran': return said('answered.ran', { project: before.created.projectName ?? '' });
    case 'answered': return wentOn(before, retired.after, retired.action);
  }
}

function wentOn(before: SetupDraft, after: SetupDraft, action: string): Said {
  if (SETUP_STEPS.indexOf(after.step) < SETUP_STEPS.indexOf(before.step)) {
    return action === 'back' ? said('answered.back') : said('answered.refused', { step: stepName(after.step) });
  }
  return said('answered.next', { chosen: chosenAt(before.step, after) ?? said('answered.answered') });
}

/** What the person chose at `step`, as the draft after it holds it. */
function chosenAt(step: SetupStep, after: SetupDraft): Said | undefined {
  const { connectionSet: set, project, created } = after;
  switch (step) {
    case 'prerequisites': return said('answered.prerequisites');
    case 'connectionSet': return set && (set.mode === 'new' ? said('answered.newSet', { set: set.spec.name }) : said('answered.existingSet', { set: set.name }));
    case 'project': return project && said('answered.project', { project: project.name, template: project.templateName });
    case 'review': return created.projectName ? said('answered.created', { project: created.projectName }) : undefined;
    case 'runOrSchedule': return undefined;
  }
}

/**
 * The card of a setup form's view, in the person's words. With `owner`, every button's data names
 * whose setup it is, so that anyone else who clicks is told so by name.
 */
export function setupCard(view: SetupView, owner?: string, words: Words = ENGLISH): AdaptiveCardJson {
  const card = setupFormCard(view, words);
  if (owner !== undefined) forEachAction(card, (data) => { data.owner = owner; });
  return card;
}

/** Calls `stamp` with the data of every Action.Submit / Action.Execute of the card. */
function forEachAction(card: AdaptiveCardJson, stamp: (data: Record<string, unknown>) => void): void {
  forEachNode(card, (n) => {
    if ((n.type === 'Action.Submit' || n.type === 'Action.Execute') && n.data && typeof n.data === 'object') stamp(n.data as Record<string, unknown>);
  });
}
