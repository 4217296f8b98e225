import type {
  ConnectionSetView, PrerequisitesView, ProjectView, ReviewView, RunOrScheduleView, ServiceProblemView, SetupView,
} from '../setup/views';
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
