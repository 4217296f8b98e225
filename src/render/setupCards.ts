import type {
  ConnectionSetView, FieldErrors, PrerequisitesView, ProjectView, RunOrScheduleView, SetupView,
} from '../setupRules/views';
import { recurrenceWords } from '../recurrence/recurrence';
import type { RecurringRecurrence } from '../integration/port';
import { SETUP_STEPS, SetupDraft, SetupStep } from '../setupRules/draft';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate, forEachNode } from './cardRenderer';
import { CARD_BYTES_MAX, fittedCard, fittedCount } from './cardFit';

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

/**
 * What the person is told when a setup stops: what was created and is kept. `signInDropped`: the setup's sign-in again
 * dropped the person's token and no sign-in took its place, so the runs read with it wait for them to sign in.
 */
export function cancelMessage(draft: SetupDraft, signInDropped = false): Said {
  const { connectionSetName, projectName } = draft.created;
  const signIn = signInDropped ? 'dropped' : 'kept';
  if (projectName) return said('setup.closedProjectKept', { project: projectName, signIn });
  if (connectionSetName) return said('setup.cancelledSetKept', { set: connectionSetName, signIn });
  return said('setup.cancelled', { signIn });
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
 * whose setup it is, so that anyone else who clicks is told so by name; with their AAD id (`ownerId`), its
 * "Sign in again" button, clicked by someone else in a channel, leaves that person's own sign-in alone
 * (registerSignIn.ts), as the run alert's does.
 */
export function setupCard(view: SetupView, owner?: string | { name: string; aadObjectId?: string }, words: Words = ENGLISH): AdaptiveCardJson {
  const { name, aadObjectId } = typeof owner === 'string' ? { name: owner, aadObjectId: undefined } : owner ?? {};
  const stamped = (card: AdaptiveCardJson) => {
    if (name !== undefined) forEachAction(card, (data) => { data.owner = name; });
    if (aadObjectId) forEachAction(card, (data) => { data.ownerId = aadObjectId; });
    return card;
  };
  return stamped(setupFormCard(view, words, stamped));
}

/** Calls `stamp` with the data of every Action.Submit / Action.Execute of the card. */
function forEachAction(card: AdaptiveCardJson, stamp: (data: Record<string, unknown>) => void): void {
  forEachNode(card, (n) => {
    if ((n.type === 'Action.Submit' || n.type === 'Action.Execute') && n.data && typeof n.data === 'object') stamp(n.data as Record<string, unknown>);
  });
}

/** A form's problem and errors as its card shows them: worded, or '' so the template can test `!= ''`. */
type Problems<K extends string> = { errors: Record<K, CardText | ''>; problem: CardText | '' };
type Choice = { title: CardText; value: string };

const SHARED = ['card.setup'];
/** The most of a card step 3's preview of a template's mappings may take, beside the list of templates. */
const PREVIEW_SHARE = 3 / 4;
const prerequisitesCard = cardTemplate<Omit<PrerequisitesView, 'title' | 'environments' | 'missing' | 'problem'> & {
  title: CardText; environments: Array<{ displayName: CardText; dynamics: CardText; dataverse: CardText }>;
  missing: Array<{ line: CardText }>; problem: CardText | ''; more: CardText | '';
}>('setupPrerequisites', SHARED);
const connectionSetCard = cardTemplate<Omit<ConnectionSetView, 'existingSets' | 'dynamicsChoices' | 'dataverseChoices' | 'errors' | 'problem' | 'filterMatches'>
  & Problems<keyof ConnectionSetView['errors']> & {
    existingSets: Array<{ name: string; title: CardText }>; dynamicsChoices: Choice[]; dataverseChoices: Choice[];
    /** Whether the card shows "Find": when a list is cut, or narrowed already. */
    finding: boolean; filtered: CardText | ''; setsMore: CardText | ''; dynamicsMore: CardText | ''; dataverseMore: CardText | '';
  }>('setupConnectionSet', SHARED);
const projectCard = cardTemplate<Omit<ProjectView, 'templates' | 'preview' | 'privacyNotice' | 'errors' | 'problem' | 'connectionSetName' | 'dynamicsOrganization' | 'dataverseOrganizationId' | 'templateMatches'>
  & Problems<keyof ProjectView['errors']> & {
    templates: Choice[]; previewTitle: CardText; privacyNotice: CardText; connectionSetName: CardText; organizations: CardText;
    /** Whether the card shows "Find a template": when the list is cut, or narrowed already. */
    finding: boolean; templatesMore: CardText | '';
    mappings: Array<{ line: CardText; fields: Array<{ title: CardText; value: CardText }> }>; mappingsMore: CardText | '';
  }>('setupProject', SHARED);
const reviewCard = cardTemplate<{ flowId: string; headline: CardText; facts: Array<{ title: CardText; value: CardText }>; createTitle: CardText; problem: CardText | '' }>('setupReview', SHARED);
const runOrScheduleCard = cardTemplate<Omit<RunOrScheduleView, 'intro' | 'units' | 'errors' | 'problem'> & Problems<'every'> & {
  title: CardText; intro: CardText; units: Choice[];
}>('setupRunOrSchedule', SHARED);
const serviceProblemCard = cardTemplate<{ flowId: string; step: string; title: CardText; message: CardText; signIn: boolean }>('serviceProblem', SHARED);

/**
 * The card of one form's view, every text worded for the person and escaped for the card. A card fitted to
 * CARD_BYTES_MAX is weighed `stamped` (with the owner on its buttons, as it is sent); stamping twice changes nothing.
 */
function setupFormCard(view: SetupView, w: Words, stamped: (card: AdaptiveCardJson) => AdaptiveCardJson): AdaptiveCardJson {
  const text = (s: Said | undefined): CardText | '' => (s ? w.card(s) : '');
  const name = (s: string) => w.card('text.asGiven', { text: s });
  const errors = <K extends string>(e: FieldErrors<K>) => fieldErrors(e, w);
  switch (view.form) {
    case 'prerequisites': {
      // As many environments as fit (the two picked first): step 2 finds any other by part of its name.
      const v = view.view;
      const environments = v.environments.map((e) => ({ displayName: name(e.displayName), dynamics: w.card(e.dynamics), dataverse: w.card(e.dataverse) }));
      return fittedCard(environments.length, (count) => stamped(prerequisitesCard({
        ...v, title: w.card(v.title), problem: text(v.problem), environments: environments.slice(0, count),
        more: count < environments.length ? w.card('prereq.someShown', { shown: count, total: environments.length }) : '',
        missing: v.missing.map((m) => ({ line: w.card('prereq.howToCreate', { environment: m.environment, connector: m.connector, create: m.create, url: { link: m.url } }) })),
      }, w)));
    }
    case 'connectionSet': return connectionSetFormCard(view.view, w, stamped);
    case 'project': {
      // As many templates as fit (the picked one first); "Find a template" narrows the list to reach any other.
      const { templateMatches, ...v } = view.view;
      const templates = v.templates.map((t) => ({ title: name(t.displayName), value: t.name }));
      const filter = v.templateFilter;
      const more = (count: number): CardText | '' => {
        if (filter && !templateMatches) return w.card('project.noTemplateMatch', { filter });
        return count < templates.length ? w.card(filter ? 'project.someTemplatesShownFiltered' : 'project.someTemplatesShown', { shown: count, total: templates.length, filter }) : '';
      };
      const mappings = v.preview.entityMappings.map((m) => ({
        line: w.card('project.mapping', { source: m.sourceEntity, destination: m.destinationEntity, keys: m.keys }),
        fields: m.fields.map((f) => ({ title: name(f.sourceField), value: w.card('project.arrow', { field: f.destinationField }) })),
      }));
      const draw = (count: number, mappingsShown: number) => stamped(projectCard({
        ...v, errors: errors(v.errors), problem: text(v.problem),
        templates: templates.slice(0, count), templatesMore: more(count), finding: Boolean(filter) || count < templates.length,
        previewTitle: w.card('project.previewOf', { template: v.preview.displayName }),
        mappings: mappings.slice(0, mappingsShown),
        mappingsMore: mappingsShown < mappings.length ? w.card('project.someMappingsShown', { shown: mappingsShown, total: mappings.length }) : '',
        privacyNotice: w.card(v.privacyNotice),
        connectionSetName: name(v.connectionSetName),
        organizations: w.card('project.organizations', { from: v.dynamicsOrganization, to: v.dataverseOrganizationId }),
      }, w));
      // A template of dozens of mappings (one saved from a big project) fills a card by itself: its preview shows the first
      // mappings that fit in PREVIEW_SHARE of the card, so that the template list keeps room to pick another.
      const mappingsShown = fittedCount(mappings.length, (shown) => draw(1, shown), CARD_BYTES_MAX * PREVIEW_SHARE);
      return fittedCard(templates.length, (count) => draw(count, mappingsShown));
    }
    case 'review': {
      const v = view.view;
      return reviewCard({
        flowId: v.flowId, headline: w.card(v.headline), createTitle: w.card(v.createTitle), problem: text(v.problem),
        facts: v.facts.map((f) => ({ title: w.card(f.title), value: w.card(f.value) })),
      }, w);
    }
    case 'runOrSchedule': {
      const v = view.view;
      return withoutEmptyNumber(runOrScheduleCard({
        ...v, errors: errors(v.errors), problem: text(v.problem),
        title: w.card('schedule.ready', { project: v.projectName }), intro: w.card(v.intro),
        units: v.units.map((unit) => ({ title: w.card(said('schedule.unit', { unit })), value: unit })),
      }, w));
    }
    case 'serviceProblem': {
      const v = view.view;
      return serviceProblemCard({ flowId: v.flowId, step: v.step, title: w.card(v.title), message: w.card(v.message), signIn: v.signIn ?? false }, w);
    }
  }
}

/** A form's errors worded for its card: '' where an input has none. */
function fieldErrors<K extends string>(e: FieldErrors<K>, w: Words): Record<K, CardText | ''> {
  return Object.fromEntries(Object.entries(e).map(([k, s]) => [k, s ? w.card(s as Said) : ''])) as Record<K, CardText | ''>;
}

type ConnectionList = 'sets' | 'dynamics' | 'dataverse';

/**
 * Step 2's card. A big tenant's lists (a connection per environment, a set per pair) do not fit one card: it shows as
 * many of each as fit in CARD_BYTES_MAX, in the view's order (what is picked first), says under each cut list how many
 * of how many, and offers "Find", which narrows the lists to what has a part of a name (the view's filter).
 */
function connectionSetFormCard(v: ConnectionSetView, w: Words, stamped: (card: AdaptiveCardJson) => AdaptiveCardJson): AdaptiveCardJson {
  const { filterMatches, ...shown } = v;
  const lists = {
    sets: v.existingSets.map((s) => ({ name: s.name, title: w.card('choice.useSet', { name: s.name, from: s.from, to: s.to }) })),
    dynamics: v.dynamicsChoices.map((c) => ({ title: w.card(c.title), value: c.value })),
    dataverse: v.dataverseChoices.map((c) => ({ title: w.card(c.title), value: c.value })),
  };
  const longest = Math.max(...Object.values(lists).map((l) => l.length));
  const more = (list: ConnectionList, count: number): CardText | '' => {
    const total = lists[list].length;
    return count < total ? w.card(v.filter ? 'choice.someShownFiltered' : 'choice.someShown', { list, shown: count, total, filter: v.filter }) : '';
  };
  return fittedCard(longest, (count) => stamped(connectionSetCard({
    ...shown, errors: fieldErrors(v.errors, w), problem: v.problem ? w.card(v.problem) : '',
    existingSets: lists.sets.slice(0, count), dynamicsChoices: lists.dynamics.slice(0, count), dataverseChoices: lists.dataverse.slice(0, count),
    setsMore: more('sets', count), dynamicsMore: more('dynamics', count), dataverseMore: more('dataverse', count),
    finding: Boolean(v.filter) || count < longest,
    filtered: v.filter ? w.card(filterMatches ? 'choice.filtered' : 'choice.noMatch', { filter: v.filter }) : '',
  }, w)));
}

/** Input.Number takes a JSON number or no value at all: an empty field (what was typed was no number) has none. */
function withoutEmptyNumber(card: AdaptiveCardJson): AdaptiveCardJson {
  forEachNode(card, (n) => {
    if (n.type === 'Input.Number' && n.value === null) delete n.value;
  });
  return card;
}
