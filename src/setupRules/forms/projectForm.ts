import { DataIntegration, OrganizationMapping, Template } from '../../integration/port';
import { SetupDraft } from '../draft';
import { said, type Said } from '../../words/words';
import { nameProblem, suggestProjectName } from '../naming';
import { projectInputsSchema } from '../submissions';
import { errorsView, FormOutcome, offered, SetupForm } from './form';
import { checkInputs, sentStrings } from './formInputs';

/** The template the seed sets up. */
export const DEFAULT_TEMPLATE = 'Accounts (Sales to CDS)';

/** What each input says when a client sends something the card cannot have sent. */
const INPUT_ERRORS = {
  name: said('name.rule'),
  template: said('form.pickTemplate'),
  consent: said('form.needConsent'),
  templateFilter: said('form.findTooLong'),
};

const templateKey = (t: Template) => [t.name, t.displayName];

/** The organization mapping the project will use: the new set's, or the existing set's first one. */
async function organizationMapping(di: DataIntegration, draft: SetupDraft): Promise<OrganizationMapping> {
  const set = draft.connectionSet;
  if (!set) throw new Error('the project form needs a connection set');
  if (set.mode === 'new') return { dynamicsOrganization: set.spec.dynamicsOrganization, dataverseOrganizationId: set.spec.dataverseOrganizationId };
  const existing = await di.getConnectionSet(set.name);
  return existing.organizationMappings[0];
}

function connectionSetName(draft: SetupDraft): string {
  const set = draft.connectionSet!;
  return set.mode === 'new' ? set.spec.name : set.name;
}

/** What the card sent, as strings, for a re-render that follows the chosen template ("Preview template"). */
function previewInputs(raw: unknown): Record<string, string> {
  return sentStrings(raw, ['name', 'template', 'consent', 'suggestedName', 'previewedTemplate', 'templateFilter'], 200);
}

/** Step 3: name, template (with a preview of its mappings), organization mapping and consent. */
export const projectForm: SetupForm = {
  step: 'project',

  async render({ di, draft, errors, problem, inputs }) {
    const [templates, projects, mapping] = await Promise.all([di.listTemplates(), di.listProjects(), organizationMapping(di, draft)]);
    const selected = templates.find((t) => templateKey(t).includes(inputs?.template || draft.project?.templateName || DEFAULT_TEMPLATE)) ?? templates[0];
    const suggestedName = suggestProjectName(selected?.displayName ?? 'Data sync', projects.map((p) => p.name).filter((n) => n !== draft.created.projectName));
    const typedName = inputs?.name !== undefined && inputs.name !== inputs.suggestedName ? inputs.name : undefined;
    // A tenant's own templates ("save … as template") add up: "Find a template" narrows the list the card shows as many of as fit.
    const filter = (inputs?.templateFilter ?? '').trim();
    const offer = offered(templates.map((t) => ({ name: t.name, displayName: t.displayName, value: t.name, names: [t.displayName] })), selected?.name ?? '', filter);
    return { form: 'project', view: {
      flowId: draft.flowId,
      name: typedName ?? (inputs ? suggestedName : draft.project?.name ?? suggestedName),
      suggestedName,
      templates: offer.items.map(({ name, displayName }) => ({ name, displayName })),
      templateName: selected?.name ?? '',
      templateFilter: filter,
      templateMatches: offer.matched,
      preview: {
        displayName: selected?.displayName ?? '',
        entityMappings: (selected?.entityMappings ?? []).map((m) => ({
          ...m, keys: m.integrationKey.length > 0 ? said('text.asGiven', { text: m.integrationKey.join(', ') }) : said('project.serviceDefault'), fields: m.fieldMappings.slice(0, 8),
        })),
      },
      connectionSetName: connectionSetName(draft),
      dynamicsOrganization: mapping.dynamicsOrganization,
      dataverseOrganizationId: mapping.dataverseOrganizationId,
      privacyNotice: said('project.privacyNotice'),
      consent: inputs?.consent ?? 'false',
      errors: errorsView(errors, ['name', 'template', 'consent']),
      problem,
    } };
  },

  async submit({ di, draft }, action, rawInputs): Promise<FormOutcome> {
    if (action.action === 'refresh') return { go: 'stay', draft, inputs: previewInputs(rawInputs) };
    const checked = checkInputs(projectInputsSchema, rawInputs, INPUT_ERRORS);
    if (!checked.ok) return { go: 'stay', draft, errors: checked.errors, inputs: { consent: 'false', ...checked.inputs } };
    const { inputs } = checked;
    const preview = previewInputs(rawInputs);
    if (preview.previewedTemplate && preview.template !== preview.previewedTemplate && preview.name === preview.suggestedName) {
      return { go: 'stay', draft, inputs: preview, problem: said('form.templateChanged') };
    }
    const [templates, projects, mapping] = await Promise.all([di.listTemplates(), di.listProjects(), organizationMapping(di, draft)]);
    const errors: Record<string, Said> = {};
    const nameIssue = nameProblem(inputs.name, projects.map((p) => p.name).filter((n) => n !== draft.created.projectName));
    if (nameIssue) errors.name = nameIssue;
    const template = templates.find((t) => t.name === inputs.template);
    if (!template) errors.template = INPUT_ERRORS.template;
    if (inputs.consent !== 'true') errors.consent = INPUT_ERRORS.consent;
    if (Object.keys(errors).length > 0 || !template) return { go: 'stay', draft, errors, inputs: { ...inputs, consent: inputs.consent ?? 'false' } };
    const project = { name: inputs.name.trim(), templateName: template.name, ...mapping };
    const changed = JSON.stringify(project) !== JSON.stringify(draft.project);
    const created = changed ? { connectionSetName: draft.created.connectionSetName } : draft.created;
    return { go: 'next', draft: { ...draft, project, created } };
  },
};
