import { describeRecurrence } from '../approvals/recurrence';
import type { RecurringRecurrence } from '../integration/port';
import { SETUP_STEPS, SetupDraft, SetupStep } from './draft';

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
