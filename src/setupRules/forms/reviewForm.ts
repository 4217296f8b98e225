import { explain } from '../../integration/errorCatalogue';
import { said, type MessageId, type Said } from '../../words/words';
import { DataIntegration, DataIntegrationError, isDataIntegrationError, ValidationIssue } from '../../integration/port';
import { checkPrerequisites } from '../prerequisites';
import { endpointValue } from '../submissions';
import { NewConnectionSet, SetupDraft } from '../draft';
import { FormOutcome, SetupForm } from './form';

/** Service field names (validationIssues[].field) and the form input each one belongs to. */
const FIELD_TO_INPUT: Record<string, string> = {
  name: 'name', projectName: 'name', connectionSetName: 'name', templateName: 'template', template: 'template',
  consent: 'consent', dynamics: 'dynamics', dataverse: 'dataverse', environments: 'dataverse',
};

/** Puts each issue next to its field; the rest becomes the form's general problem. */
function placeIssues(issues: ValidationIssue[], fallback: string): { errors: Record<string, Said>; problem?: Said } {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const input = issue.field ? FIELD_TO_INPUT[issue.field.split('.')[0]] : undefined;
    if (input) errors[input] = errors[input] ? `${errors[input]} ${issue.message}` : issue.message;
    else general.push(issue.message);
  }
  const problem = general.length > 0 ? general.join(' ') : Object.keys(errors).length === 0 ? fallback : undefined;
  const asGiven = (text: string) => said('text.asGiven', { text: { long: text } });
  return { errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, asGiven(v)])), problem: problem === undefined ? undefined : asGiven(problem) };
}

/** What people call the connections, environments and templates the draft names by id. */
async function labels(di: DataIntegration) {
  const [report, templates] = await Promise.all([checkPrerequisites(di), di.listTemplates()]);
  const environments = new Map(report.environments.map((e) => [e.environment.name, e.environment.displayName]));
  const connections = new Map(report.environments.flatMap((e) => [...e.dynamics, ...e.dataverse].map((c) => [endpointValue(c.name, e.environment.name), c.displayName])));
  const endpoint = (e: { connectionName: string; environmentName: string }) => said('choice.connection', {
    connection: connections.get(endpointValue(e.connectionName, e.environmentName)) ?? e.connectionName,
    environment: environments.get(e.environmentName) ?? e.environmentName,
  });
  const template = (name: string) => templates.find((t) => t.name === name)?.displayName ?? name;
  const environment = (name: string) => environments.get(name) ?? name;
  return { endpoint, template, environment };
}

function facts(draft: SetupDraft, label: Awaited<ReturnType<typeof labels>>): Array<{ title: Said; value: Said }> {
  const set = draft.connectionSet!;
  const project = draft.project!;
  const fact = (title: MessageId, value: Said) => ({ title: said(title), value });
  const name = (text: string) => said('text.asGiven', { text });
  const setFacts = set.mode === 'existing'
    ? [fact('review.connectionSet', said('review.existing', { set: set.name }))]
    : [
        fact('review.connectionSet', said('review.new', { set: set.spec.name })),
        fact('review.dynamics', label.endpoint(set.spec.dynamics)),
        fact('review.dataverse', label.endpoint(set.spec.dataverse)),
      ];
  return [
    ...setFacts,
    fact('review.organizations', set.mode === 'new'
      ? said('review.orgsNew', { from: project.dynamicsOrganization, environment: label.environment(set.spec.dataverse.environmentName) })
      : said('review.orgs', { from: project.dynamicsOrganization, to: project.dataverseOrganizationId })),
    fact('review.project', name(project.name)),
    fact('review.template', name(label.template(project.templateName))),
    fact('review.privacy', said('review.accepted')),
  ];
}

/** Step 4: one summary; only "Create" calls the services, and a refusal goes back to the form that can fix it. */
export const reviewForm: SetupForm = {
  step: 'review',

  async render({ di, draft, problem }) {
    const done = Boolean(draft.created.projectName);
    return { form: 'review', view: {
      flowId: draft.flowId,
      headline: said(done ? 'review.created' : 'review.check'),
      facts: facts(draft, await labels(di)),
      createTitle: said(done ? 'review.continue' : problem ? 'review.tryAgain' : 'review.create'),
      problem,
    } };
  },

  async submit({ di, draft }, action): Promise<FormOutcome> {
    // Only "Create" creates: "Try again" on a review that could not be read ("refresh") shows the review to check first.
    if (action.action !== 'next') return { go: 'stay', draft };
    const result = await createFromDraft(di, draft);
    if (!result.error) return { go: 'next', draft: result.draft };
    const { form, error } = result.error;
    if (form === 'review') {
      return { go: 'stay', draft: result.draft, problem: said('form.tryAgain', { why: explain(error) }) };
    }
    return { go: 'to', step: form, draft: result.draft, ...placeIssues(error.validationIssues, error.message) };
  },
};

/** Which form a failure belongs to, so the card that shows it is the one where it can be fixed. */
type FailedForm = 'connectionSet' | 'project' | 'review';

/** The outcome of "Create": the updated draft, and the error if a service refused or failed. */
interface CreateResult {
  draft: SetupDraft;
  error?: { form: FailedForm; error: DataIntegrationError };
}

function formOf(error: DataIntegrationError, stage: 'connectionSet' | 'project'): FailedForm {
  return error.code === 'validation' || error.code === 'conflict' ? stage : 'review';
}

/**
 * Creates the connection set (when new) and the project. Safe to call again after a half-way
 * failure: what `draft.created` records as done is not created twice, and a connection set
 * that the service already holds under the chosen name (a lost answer) is reused.
 */
export async function createFromDraft(di: DataIntegration, draft: SetupDraft): Promise<CreateResult> {
  let current = draft;
  const set = draft.connectionSet;
  const project = draft.project;
  if (!set || !project) throw new Error('createFromDraft needs a connection set and a project');

  if (set.mode === 'new' && !current.created.connectionSetName) {
    try {
      const created = await di.createConnectionSet({
        name: set.spec.name,
        dynamics: set.spec.dynamics,
        dataverse: set.spec.dataverse,
        organizationMappings: [{ dynamicsOrganization: set.spec.dynamicsOrganization, dataverseOrganizationId: set.spec.dataverseOrganizationId }],
      });
      current = { ...current, created: { ...current.created, connectionSetName: created.name } };
    } catch (err) {
      const found = await existingSameSet(di, set.spec, err);
      if (!('reused' in found)) return fail(current, found.error, 'connectionSet');
      current = { ...current, created: { ...current.created, connectionSetName: found.reused } };
    }
  }
  if (!current.created.projectName) {
    const connectionSetName = set.mode === 'new' ? current.created.connectionSetName! : set.name;
    try {
      const created = await di.createProject({
        name: project.name,
        templateName: project.templateName,
        connectionSetName,
        organizationMapping: { dynamicsOrganization: project.dynamicsOrganization, dataverseOrganizationId: project.dataverseOrganizationId },
        consent: true,
      });
      current = { ...current, created: { ...current.created, projectName: created.name } };
    } catch (err) {
      // A project under this name on the draft's connection set and template is ours: an earlier try's lost answer.
      const found = await ownIfConflict(err, () => di.getProject(project.name),
        (p) => p.connectionSetName === connectionSetName && p.templateName === project.templateName);
      if (!('reused' in found)) return fail(current, found.error, 'project');
      current = { ...current, created: { ...current.created, projectName: found.reused } };
    }
  }
  return { draft: current };
}

/** What a create's conflict came to: what this draft asked for, made by an earlier try (`reused`), or the error to tell. */
type Conflict = { reused: string } | { error: unknown };

/** After a conflict on create, the connection set may be ours from an earlier try whose answer was lost. */
function existingSameSet(di: DataIntegration, spec: NewConnectionSet, err: unknown): Promise<Conflict> {
  return ownIfConflict(err, () => di.getConnectionSet(spec.name), (existing) =>
    existing.dynamics.connectionName === spec.dynamics.connectionName && existing.dataverse.connectionName === spec.dataverse.connectionName);
}

/**
 * The name of what a create's conflict found, when it is what this draft asked for (`same`): the create of an
 * earlier try went through and only its answer was lost. Else the error to tell: the create's own, or the read-back's
 * when the service could not say what is under the name (still down, a sign-in expired): then "the name is taken" would
 * send the person to rename, and create a second one of what they already have.
 */
async function ownIfConflict<T extends { name: string }>(err: unknown, read: () => Promise<T>, same: (existing: T) => boolean): Promise<Conflict> {
  if (!isDataIntegrationError(err, 'conflict')) return { error: err };
  try {
    const existing = await read();
    return same(existing) ? { reused: existing.name } : { error: err };
  } catch (readErr) {
    // Gone again meanwhile: the conflict is what there is to tell.
    return { error: isDataIntegrationError(readErr) && !isDataIntegrationError(readErr, 'not_found') ? readErr : err };
  }
}

function fail(draft: SetupDraft, err: unknown, stage: 'connectionSet' | 'project'): CreateResult {
  if (!(err instanceof DataIntegrationError)) throw err;
  return { draft, error: { form: formOf(err, stage), error: err } };
}
