import type { Dataflow, DataflowEnvironment } from '../integration/port';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';
import { type AdaptiveCardJson, cardTemplate } from './cardRenderer';
import { outcomeWords } from './dataflowCards';

/** What the "watch dataflows" card shows: the environment to pick, or that environment's dataflows. */
interface DataflowPickData {
  step: 'environment' | 'dataflows';
  intro: CardText;
  environment: string;
  environments: Array<{ title: CardText; value: string }>;
  dataflows: Array<{ title: CardText; value: string }>;
  problem: CardText | '';
}

const template = cardTemplate<DataflowPickData>('dataflowPick');

const shownName = (e: DataflowEnvironment) => e.displayName || e.name;

/** Step 1: the environments (as setup lists them: those with a Dataverse database); `problem` is said below the list. */
export function environmentPickCard(environments: readonly DataflowEnvironment[], inChannel: boolean, problem?: Said, w: Words = ENGLISH): AdaptiveCardJson {
  const intro = !environments.length ? 'dataflow.pick.noEnvironments' : inChannel ? 'dataflow.pick.introEnvironmentChannel' : 'dataflow.pick.introEnvironment';
  return template({
    step: 'environment', environment: environments.length === 1 ? environments[0]!.name : '', dataflows: [],
    intro: w.card(intro), problem: problem ? w.card(problem) : '',
    environments: environments.map((e) => ({ title: w.card('text.asGiven', { text: shownName(e) }), value: e.name })),
  }, w);
}

/** The title of one dataflow in the multi-select: its name, and its last refresh's outcome and end (a choice shows no card dates, so the time is written out). */
export function dataflowChoiceWords(d: Dataflow, w: Words = ENGLISH): Said {
  const name = d.name;
  if (!d.active) return said('dataflow.pick.choiceInactive', { name });
  if (!d.lastRefresh) return said('dataflow.pick.choiceNever', { name });
  return said('dataflow.pick.choice', { name, last: said('dataflow.pick.lastRefresh', { outcome: outcomeWords(d.lastRefresh), ended: w.plainMoment(d.lastRefresh.endedAt) }) });
}

/** Step 2: the environment's dataflows, several may be picked, and the notify level. */
export function dataflowsPickCard(environment: DataflowEnvironment, dataflows: readonly Dataflow[], problem?: Said, w: Words = ENGLISH): AdaptiveCardJson {
  const shown = shownName(environment);
  return template({
    step: 'dataflows', environment: environment.name, environments: [], problem: problem ? w.card(problem) : '',
    intro: w.card(dataflows.length ? 'dataflow.pick.introDataflows' : 'dataflow.pick.noDataflows', { environment: shown }),
    dataflows: dataflows.map((d) => ({ title: w.card(dataflowChoiceWords(d, w)), value: d.id })),
  }, w);
}
