import type {
  ConnectionSetView, FieldErrors, PrerequisitesView, ProjectView, RunOrScheduleView, SetupView,
} from '../setupRules/views';
import { said, type CardText, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate, forEachNode } from './cardRenderer';

/** A form's problem and errors as its card shows them: worded, or '' so the template can test `!= ''`. */
type Problems<K extends string> = { errors: Record<K, CardText | ''>; problem: CardText | '' };
type Choice = { title: CardText; value: string };

const SHARED = ['card.setup'];
const prerequisitesCard = cardTemplate<Omit<PrerequisitesView, 'title' | 'environments' | 'missing' | 'problem'> & {
  title: CardText; environments: Array<{ displayName: CardText; dynamics: CardText; dataverse: CardText }>;
  missing: Array<{ line: CardText }>; problem: CardText | '';
}>('setupPrerequisites', SHARED);
const connectionSetCard = cardTemplate<Omit<ConnectionSetView, 'existingSets' | 'dynamicsChoices' | 'dataverseChoices' | 'errors' | 'problem'>
  & Problems<keyof ConnectionSetView['errors']> & { existingSets: Array<{ name: string; title: CardText }>; dynamicsChoices: Choice[]; dataverseChoices: Choice[] }>('setupConnectionSet', SHARED);
const projectCard = cardTemplate<Omit<ProjectView, 'templates' | 'preview' | 'privacyNotice' | 'errors' | 'problem' | 'connectionSetName' | 'dynamicsOrganization' | 'dataverseOrganizationId'>
  & Problems<keyof ProjectView['errors']> & {
    templates: Choice[]; previewTitle: CardText; privacyNotice: CardText; connectionSetName: CardText; organizations: CardText;
    mappings: Array<{ line: CardText; fields: Array<{ title: CardText; value: CardText }> }>;
  }>('setupProject', SHARED);
const reviewCard = cardTemplate<{ flowId: string; headline: CardText; facts: Array<{ title: CardText; value: CardText }>; createTitle: CardText; problem: CardText | '' }>('setupReview', SHARED);
const runOrScheduleCard = cardTemplate<Omit<RunOrScheduleView, 'intro' | 'units' | 'errors' | 'problem'> & Problems<'every'> & {
  title: CardText; intro: CardText; units: Choice[];
}>('setupRunOrSchedule', SHARED);
const serviceProblemCard = cardTemplate<{ flowId: string; step: string; title: CardText; message: CardText }>('serviceProblem', SHARED);

/** The card of one form's view, every text worded for the person and escaped for the card. */
export function setupFormCard(view: SetupView, w: Words): AdaptiveCardJson {
  const text = (s: Said | undefined): CardText | '' => (s ? w.card(s) : '');
  const name = (s: string) => w.card('text.asGiven', { text: s });
  const errors = <K extends string>(e: FieldErrors<K>) => Object.fromEntries(Object.entries(e).map(([k, s]) => [k, text(s as Said | undefined)])) as Record<K, CardText | ''>;
  const choices = (list: Array<{ title: Said; value: string }>) => list.map((c) => ({ title: w.card(c.title), value: c.value }));
  switch (view.form) {
    case 'prerequisites': {
      const v = view.view;
      return prerequisitesCard({
        ...v, title: w.card(v.title), problem: text(v.problem),
        environments: v.environments.map((e) => ({ displayName: name(e.displayName), dynamics: w.card(e.dynamics), dataverse: w.card(e.dataverse) })),
        missing: v.missing.map((m) => ({ line: w.card('prereq.howToCreate', { environment: m.environment, connector: m.connector, create: m.create, url: { link: m.url } }) })),
      }, w);
    }
    case 'connectionSet': {
      const v = view.view;
      return connectionSetCard({
        ...v, errors: errors(v.errors), problem: text(v.problem),
        existingSets: v.existingSets.map((s) => ({ name: s.name, title: w.card('choice.useSet', { name: s.name, from: s.from, to: s.to }) })),
        dynamicsChoices: choices(v.dynamicsChoices), dataverseChoices: choices(v.dataverseChoices),
      }, w);
    }
    case 'project': {
      const v = view.view;
      return projectCard({
        ...v, errors: errors(v.errors), problem: text(v.problem),
        templates: v.templates.map((t) => ({ title: name(t.displayName), value: t.name })),
        previewTitle: w.card('project.previewOf', { template: v.preview.displayName }),
        mappings: v.preview.entityMappings.map((m) => ({
          line: w.card('project.mapping', { source: m.sourceEntity, destination: m.destinationEntity, keys: m.keys }),
          fields: m.fields.map((f) => ({ title: name(f.sourceField), value: w.card('project.arrow', { field: f.destinationField }) })),
        })),
        privacyNotice: w.card(v.privacyNotice),
        connectionSetName: name(v.connectionSetName),
        organizations: w.card('project.organizations', { from: v.dynamicsOrganization, to: v.dataverseOrganizationId }),
      }, w);
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
      return serviceProblemCard({ flowId: v.flowId, step: v.step, title: w.card(v.title), message: w.card(v.message) }, w);
    }
  }
}

/** Input.Number takes a JSON number or no value at all: an empty field (what was typed was no number) has none. */
function withoutEmptyNumber(card: AdaptiveCardJson): AdaptiveCardJson {
  forEachNode(card, (n) => {
    if (n.type === 'Input.Number' && n.value === null) delete n.value;
  });
  return card;
}
