import type { Dataflow, DataflowEnvironment } from '../integration/port';
import { type AdaptiveCardJson, cardTemplate, literal } from './cardRenderer';
import { plainDateTime } from './cardText';
import { outcomeText } from './dataflowCards';
import { dataflowWords as w } from './dataflowWords';

/** What the "watch dataflows" card shows: the environment to pick, or that environment's dataflows. */
interface DataflowPickData {
  step: 'environment' | 'dataflows';
  title: string;
  intro: string;
  environment: string;
  environments: Array<{ title: string; value: string }>;
  dataflows: Array<{ title: string; value: string }>;
  problem: string;
  labels: Record<'environment' | 'environmentMissing' | 'dataflows' | 'dataflowsMissing' | 'level' | 'everyRefresh' | 'failuresOnly' | 'next' | 'watch', string>;
}

const template = cardTemplate<DataflowPickData>('dataflowPick');

const LABELS: DataflowPickData['labels'] = {
  environment: w('pick.environment'), environmentMissing: w('pick.environmentMissing'), dataflows: w('pick.dataflows'),
  dataflowsMissing: w('pick.dataflowsMissing'), level: w('pick.level'), everyRefresh: w('action.everyRefresh'),
  failuresOnly: w('action.failuresOnly'), next: w('pick.next'), watch: w('pick.watch'),
};

const shownName = (e: DataflowEnvironment) => literal(e.displayName || e.name);

/** Step 1: the environments (as setup lists them: those with a Dataverse database). */
export function environmentPickCard(environments: readonly DataflowEnvironment[], inChannel: boolean, problem = ''): AdaptiveCardJson {
  return template({
    step: 'environment', title: w('pick.title'), environment: environments.length === 1 ? environments[0]!.name : '', dataflows: [], labels: LABELS,
    intro: environments.length ? w('pick.introEnvironment', { where: inChannel ? w('pick.inChannel') : '' }) : w('pick.noEnvironments'),
    environments: environments.map((e) => ({ title: shownName(e), value: e.name })), problem,
  });
}

/** The title of one dataflow in the multi-select: its name, and its last refresh's outcome and end. */
export function dataflowChoiceTitle(d: Dataflow): string {
  const name = literal(d.name);
  if (!d.active) return w('pick.choiceInactive', { name });
  if (!d.lastRefresh) return w('pick.choiceNever', { name });
  return w('pick.choice', { name, last: w('pick.lastRefresh', { outcome: outcomeText(d.lastRefresh), ended: plainDateTime(d.lastRefresh.endedAt) }) });
}

/** Step 2: the environment's dataflows, several may be picked, and the notify level. */
export function dataflowsPickCard(environment: DataflowEnvironment, dataflows: readonly Dataflow[], problem = ''): AdaptiveCardJson {
  const shown = shownName(environment);
  return template({
    step: 'dataflows', title: w('pick.title'), environment: environment.name, environments: [], labels: LABELS, problem,
    intro: dataflows.length ? w('pick.introDataflows', { environment: shown }) : w('pick.noDataflows', { environment: shown }),
    dataflows: dataflows.map((d) => ({ title: dataflowChoiceTitle(d), value: d.id })),
  });
}
