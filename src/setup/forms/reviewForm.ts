import { adviceFor, isTransient } from '../../integration/errorCatalogue';
import { DataIntegration, ValidationIssue } from '../../integration/port';
import { checkPrerequisites } from '../prerequisites';
import { endpointValue } from '../submissions';
import { createFromDraft } from '../createFromDraft';
import { SetupDraft } from '../draft';
import { FormOutcome, SetupForm } from './form';

/** Service field names (validationIssues[].field) and the form input each one belongs to. */
const FIELD_TO_INPUT: Record<string, string> = {
  name: 'name', projectName: 'name', connectionSetName: 'name', templateName: 'template', template: 'template',
  consent: 'consent', dynamics: 'dynamics', dataverse: 'dataverse', environments: 'dataverse',
};

/** Puts each issue next to its field; the rest becomes the form's general problem. */
function placeIssues(issues: ValidationIssue[], fallback: string): { errors: Record<string, string>; problem?: string } {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const input = issue.field ? FIELD_TO_INPUT[issue.field.split('.')[0]] : undefined;
    if (input) errors[input] = errors[input] ? `${errors[input]} ${issue.message}` : issue.message;
    else general.push(issue.message);
  }
  const problem = general.length > 0 ? general.join(' ') : Object.keys(errors).length === 0 ? fallback : undefined;
  return { errors, problem };
}

/** What people call the connections, environments and templates the draft names by id. */
async function labels(di: DataIntegration) {
  const [report, templates] = await Promise.all([checkPrerequisites(di), di.listTemplates()]);
  const environments = new Map(report.environments.map((e) => [e.environment.name, e.environment.displayName]));
  const connections = new Map(report.environments.flatMap((e) => [...e.dynamics, ...e.dataverse].map((c) => [endpointValue(c.name, e.environment.name), c.displayName])));
  const endpoint = (e: { connectionName: string; environmentName: string }) =>
    `${connections.get(endpointValue(e.connectionName, e.environmentName)) ?? e.connectionName} in ${environments.get(e.environmentName) ?? e.environmentName}`;
  const template = (name: string) => templates.find((t) => t.name === name)?.displayName ?? name;
  const environment = (name: string) => environments.get(name) ?? name;
  return { endpoint, template, environment };
}

function facts(draft: SetupDraft, label: Awaited<ReturnType<typeof labels>>): Array<{ title: string; value: string }> {
  const set = draft.connectionSet!;
  const project = draft.project!;
  const setFacts = set.mode === 'existing'
    ? [{ title: 'Connection set', value: `${set.name} (existing)` }]
    : [
        { title: 'Connection set', value: `${set.spec.name} (new)` },
        { title: 'Dynamics 365', value: label.endpoint(set.spec.dynamics) },
        { title: 'Dataverse', value: label.endpoint(set.spec.dataverse) },
      ];
  return [
    ...setFacts,
    { title: 'Organizations', value: set.mode === 'new'
      ? `${project.dynamicsOrganization} → the organization of ${label.environment(set.spec.dataverse.environmentName)}`
      : `${project.dynamicsOrganization} → ${project.dataverseOrganizationId}` },
    { title: 'Project', value: project.name },
    { title: 'Template', value: label.template(project.templateName) },
    { title: 'Privacy notice', value: 'accepted' },
  ];
}

/** Step 4: one summary; "Create" calls the services, and a refusal goes back to the form that can fix it. */
export const reviewForm: SetupForm = {
  step: 'review',

  async render({ di, draft, problem }) {
    const done = Boolean(draft.created.projectName);
    return { form: 'review', view: {
      flowId: draft.flowId,
      headline: done ? 'Already created: check and continue' : 'Check and create',
      facts: facts(draft, await labels(di)),
      createTitle: done ? 'Continue' : problem ? 'Try again' : 'Create',
      problem: problem ?? '',
    } };
  },

  async submit({ di, draft }): Promise<FormOutcome> {
    const result = await createFromDraft(di, draft);
    if (!result.error) return { go: 'next', draft: result.draft };
    const { form, error } = result.error;
    if (form === 'review') {
      const why = isTransient(error) ? `${adviceFor(error).title}.` : error.message;
      return { go: 'stay', draft: result.draft, problem: `${why} Nothing was lost: click "Try again".` };
    }
    return { go: 'to', step: form, draft: result.draft, ...placeIssues(error.validationIssues, error.message) };
  },
};
