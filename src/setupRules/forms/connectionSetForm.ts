import type { ConnectionSet, DataIntegration, Environment } from '../../integration/port';
import { NewConnectionSet, SetupDraft } from '../draft';
import { said, type Said } from '../../words/words';
import { nameProblem, suggestConnectionSetName } from '../naming';
import { checkPrerequisites, EnvironmentConnections } from '../prerequisites';
import { connectionSetInputsSchema, endpointValue, parseEndpointValue } from '../submissions';
import { errorsView, FormOutcome, offered, SetupForm } from './form';
import { checkInputs, sentStrings } from './formInputs';
import { shortenMiddle } from '../../words/sanitize';

const DEFAULT_ENTITY = 'Accounts';

/** What each input says when a client sends something the card cannot have sent. */
const INPUT_ERRORS = {
  mode: said('form.pickSet'),
  name: said('name.rule'),
  dynamics: said('form.pickDynamics'),
  dataverse: said('form.pickDataverse'),
  filter: said('form.findTooLong'),
};
const dynamicsOf = (e: EnvironmentConnections) => e.dynamics;

/** About what a choice shows on one line of a Teams card before it is cut. */
const CHOICE_WIDTH = 56;
const ENVIRONMENT_WIDTH = 28;

/**
 * A connection's choice: what tells the choices apart first (the environment, then the account), each shortened in
 * the middle so that the whole title fits the card's width.
 */
function choiceTitle(environment: string, connection: string, dataverseConnector: boolean): Said {
  const env = shortenMiddle(environment, ENVIRONMENT_WIDTH);
  const room = CHOICE_WIDTH - Array.from(env).length - 2 - (dataverseConnector ? 22 : 0);
  return said(dataverseConnector ? 'choice.endpointDataverse' : 'choice.endpoint', { environment: env, connection: shortenMiddle(connection, Math.max(12, room)) });
}

/** Everything the form offers, read from the services. */
async function options(di: DataIntegration) {
  const [report, sets] = await Promise.all([checkPrerequisites(di), di.listConnectionSets()]);
  const choices = (pick: (e: EnvironmentConnections) => EnvironmentConnections['dynamics']) =>
    report.environments.flatMap((e) =>
      pick(e).map((c) => ({
        title: choiceTitle(e.environment.displayName, c.displayName, pick === dynamicsOf && c.connector === 'dataverse'),
        value: endpointValue(c.name, e.environment.name),
        env: e.environment,
        names: [e.environment.displayName, c.displayName],
      })),
    );
  return { report, sets, dynamicsChoices: choices(dynamicsOf), dataverseChoices: choices((e) => e.dataverse) };
}

/** An environment's display name; its id only when the tenant no longer lists it. */
function environmentLabel(report: Awaited<ReturnType<typeof checkPrerequisites>>, name: string): string {
  return report.environments.find((e) => e.environment.name === name)?.environment.displayName ?? name;
}

/** Step 2: reuse a connection set, or describe a new one; organizations are looked up, never typed. */
export const connectionSetForm: SetupForm = {
  step: 'connectionSet',

  async render({ di, draft, errors, problem, inputs }) {
    const o = await options(di);
    const chosen = draft.connectionSet;
    const spec = chosen?.mode === 'new' ? chosen.spec : undefined;
    const source = o.report.source?.environment;
    const destination = o.report.destination?.environment;
    const suggested = source && destination ? suggestConnectionSetName(source, destination, DEFAULT_ENTITY, o.sets.map((s) => s.name)) : '';
    const firstIn = (list: typeof o.dynamicsChoices, env?: string) => list.find((c) => c.env.name === env)?.value ?? list[0]?.value ?? '';
    // Connection sets are reusable: one that already joins the two environments is the default, a new one the choice.
    const reusable = source && destination ? o.sets.find((s) => joins(s, source, destination)) : undefined;
    const mode = inputs?.mode ?? (chosen ? (chosen.mode === 'existing' ? `existing:${chosen.name}` : 'new') : reusable ? `existing:${reusable.name}` : 'new');
    const dynamicsValue = inputs?.dynamics ?? (spec ? endpointValue(spec.dynamics.connectionName, spec.dynamics.environmentName) : firstIn(o.dynamicsChoices, source?.name));
    const dataverseValue = inputs?.dataverse ?? (spec ? endpointValue(spec.dataverse.connectionName, spec.dataverse.environmentName) : firstIn(o.dataverseChoices, destination?.name));
    const filter = (inputs?.filter ?? '').trim();
    const sets = offered(o.sets.map((s) => {
      const [from, to] = [environmentLabel(o.report, s.dynamics.environmentName), environmentLabel(o.report, s.dataverse.environmentName)];
      return { name: s.name, from, to, value: `existing:${s.name}`, names: [s.name, from, to] };
    }), mode, filter);
    const dynamics = offered(o.dynamicsChoices, dynamicsValue, filter);
    const dataverse = offered(o.dataverseChoices, dataverseValue, filter);
    return { form: 'connectionSet', view: {
      flowId: draft.flowId,
      mode,
      existingSets: sets.items.map(({ name, from, to }) => ({ name, from, to })),
      name: inputs?.name ?? spec?.name ?? suggested,
      dynamicsChoices: dynamics.items.map(({ title, value }) => ({ title, value })),
      dataverseChoices: dataverse.items.map(({ title, value }) => ({ title, value })),
      dynamicsValue,
      dataverseValue,
      filter,
      filterMatches: sets.matched + dynamics.matched + dataverse.matched,
      errors: errorsView(errors, ['mode', 'name', 'dynamics', 'dataverse']),
      problem,
    } };
  },

  async submit({ di, draft }, action, rawInputs): Promise<FormOutcome> {
    // "Find" (and "Try again" after a service problem, which sends no inputs): the card again, with what was typed.
    if (action.action === 'refresh') return { go: 'stay', draft, inputs: sentStrings(rawInputs, Object.keys(INPUT_ERRORS)) };
    const checked = checkInputs(connectionSetInputsSchema, rawInputs, INPUT_ERRORS);
    if (!checked.ok) return { go: 'stay', draft, errors: checked.errors, inputs: checked.inputs };
    const { inputs } = checked;
    const o = await options(di);
    if (inputs.mode.startsWith('existing:')) {
      const set = o.sets.find((s) => s.name === inputs.mode.slice('existing:'.length));
      if (!set) return { go: 'stay', draft, inputs, errors: { mode: said('form.setGone') } };
      return { go: 'next', draft: withSet(draft, { mode: 'existing', name: set.name }) };
    }
    const errors: Record<string, Said> = {};
    const nameIssue = nameProblem(inputs.name, o.sets.map((s) => s.name).filter((n) => n !== draft.created.connectionSetName));
    if (nameIssue) errors.name = nameIssue;
    const dynamics = o.dynamicsChoices.find((c) => c.value === inputs.dynamics);
    const dataverse = o.dataverseChoices.find((c) => c.value === inputs.dataverse);
    if (!dynamics) errors.dynamics = INPUT_ERRORS.dynamics;
    if (!dataverse) errors.dataverse = INPUT_ERRORS.dataverse;
    if (dynamics && dataverse && dynamics.env.name === dataverse.env.name) errors.dataverse = said('form.sameEnvironment');
    if (dynamics && !dynamics.env.domainName) errors.dynamics = said('form.noDomain');
    if (Object.keys(errors).length > 0 || !dynamics || !dataverse) return { go: 'stay', draft, errors, inputs };
    const spec: NewConnectionSet = {
      name: inputs.name.trim(),
      dynamics: parseEndpointValue(dynamics.value)!,
      dataverse: parseEndpointValue(dataverse.value)!,
      dynamicsOrganization: dynamics.env.domainName!,
      dataverseOrganizationId: await di.getOrganizationId(dataverse.env),
    };
    return { go: 'next', draft: withSet(draft, { mode: 'new', spec }) };
  },
};

/** Whether a set joins these environments (and, where the source's domain is known, its organization). */
function joins(set: ConnectionSet, source: Environment, destination: Environment): boolean {
  const sameOrganization = !source.domainName || set.organizationMappings.some((m) => m.dynamicsOrganization.toLowerCase() === source.domainName!.toLowerCase());
  return set.dynamics.environmentName === source.name && set.dataverse.environmentName === destination.name && sameOrganization;
}

/** A changed connection set invalidates what was created from the old one. */
function withSet(draft: SetupDraft, set: NonNullable<SetupDraft['connectionSet']>): SetupDraft {
  const changed = JSON.stringify(draft.connectionSet) !== JSON.stringify(set);
  return changed ? { ...draft, connectionSet: set, created: {} } : draft;
}
