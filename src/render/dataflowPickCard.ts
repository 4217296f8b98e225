import type { Dataflow, DataflowEnvironment } from '../integration/port';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';
import { type AdaptiveCardJson, cardTemplate } from './cardRenderer';
import { outcomeWords } from './dataflowCards';
import { fittedCard } from './cardFit';

/** What the "watch dataflows" card shows: the environment to pick, or that environment's dataflows. */
interface DataflowPickData {
  step: 'environment' | 'dataflows';
  intro: CardText;
  environment: string;
  environments: Array<{ title: CardText; value: string }>;
  dataflows: Array<{ title: CardText; value: string }>;
  /** Said below the intro when some dataflows are left out: how many are shown, and how to reach the others. */
  more: CardText | '';
  /** The name filter typed with "watch dataflows", carried by the card's button to the next step ('' for none). */
  filter: string;
  problem: CardText | '';
}

const template = cardTemplate<DataflowPickData>('dataflowPick');

const shownName = (e: DataflowEnvironment) => e.displayName || e.name;

/** Names compared as a person reads them: any case, and numbers by value ("env 2" before "env 10"). */
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/** The environments the card offers, in its order: by shown name, then id. */
function offeredEnvironments(environments: readonly DataflowEnvironment[]): DataflowEnvironment[] {
  return [...environments].sort((a, b) => byName(shownName(a), shownName(b)) || a.name.localeCompare(b.name));
}

/**
 * Step 1: the environments (as setup lists them: those with a Dataverse database); `problem` is said below the list;
 * `filter` goes on to step 2. As many as fit in CARD_BYTES_MAX are listed, by name (an admin may administer hundreds);
 * when some are left out the card says how many it shows and how to reach another (`watch dataflows in` and part of
 * its name; `part` is the part typed so, when these are the environments it picked).
 */
export function environmentPickCard(environments: readonly DataflowEnvironment[], inChannel: boolean, problem?: Said, w: Words = ENGLISH, filter = '', part = ''): AdaptiveCardJson {
  const intro = !environments.length ? 'dataflow.pick.noEnvironments' : inChannel ? 'dataflow.pick.introEnvironmentChannel' : 'dataflow.pick.introEnvironment';
  const choices = offeredEnvironments(environments).map((e) => ({ title: w.card('text.asGiven', { text: shownName(e) }), value: e.name }));
  return fittedCard(choices.length, (count) => template({
    step: 'environment', environment: choices.length === 1 ? choices[0]!.value : '', dataflows: [], filter,
    intro: w.card(intro), problem: problem ? w.card(problem) : '', environments: choices.slice(0, count),
    more: count < choices.length ? w.card(part ? 'dataflow.pick.someEnvironmentsShownFiltered' : 'dataflow.pick.someEnvironmentsShown', { shown: count, total: choices.length, part }) : '',
  }, w));
}

/** The title of one dataflow in the multi-select: its name, and its last refresh's outcome and end (a choice shows no card dates, so the time is written out). */
export function dataflowChoiceWords(d: Dataflow, w: Words = ENGLISH): Said {
  const name = d.name;
  if (!d.active) return said('dataflow.pick.choiceInactive', { name });
  if (!d.lastRefresh) return said('dataflow.pick.choiceNever', { name });
  return said('dataflow.pick.choice', { name, last: said('dataflow.pick.lastRefresh', { outcome: outcomeWords(d.lastRefresh), ended: w.plainMoment(d.lastRefresh.endedAt) }) });
}

const endedMs = (d: Dataflow) => (d.lastRefresh ? Date.parse(d.lastRefresh.endedAt) || 0 : -Infinity);

/** The dataflows the card offers, in its order: those whose name contains `filter` (any case), the most recently refreshed first, then by name. */
export function offeredDataflows(dataflows: readonly Dataflow[], filter = ''): Dataflow[] {
  const part = filter.toLocaleLowerCase();
  return dataflows.filter((d) => d.name.toLocaleLowerCase().includes(part))
    .sort((a, b) => endedMs(b) - endedMs(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Step 2: the environment's dataflows whose name contains `filter` (all without one), several may be picked, and the
 * notify level. As many as fit in CARD_BYTES_MAX are listed, the most recently refreshed first; when some are left
 * out the card says how many it shows and how to reach the others (`watch dataflows` and part of a name).
 */
export function dataflowsPickCard(environment: DataflowEnvironment, dataflows: readonly Dataflow[], problem?: Said, w: Words = ENGLISH, filter = ''): AdaptiveCardJson {
  const shown = shownName(environment);
  const offered = offeredDataflows(dataflows, filter);
  const intro = offered.length ? said(filter ? 'dataflow.pick.introFiltered' : 'dataflow.pick.introDataflows', { environment: shown, filter })
    : said(filter ? 'dataflow.pick.noMatch' : 'dataflow.pick.noDataflows', { environment: shown, filter });
  const choices = offered.map((d) => ({ title: w.card(dataflowChoiceWords(d, w)), value: d.id }));
  return fittedCard(choices.length, (count) => template({
    step: 'dataflows', environment: environment.name, environments: [], problem: problem ? w.card(problem) : '', filter,
    intro: w.card(intro), dataflows: choices.slice(0, count),
    more: count < choices.length ? w.card(filter ? 'dataflow.pick.someShownFiltered' : 'dataflow.pick.someShown', { shown: count, total: choices.length, filter }) : '',
  }, w));
}
