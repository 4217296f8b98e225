import { checkPrerequisites } from '../prerequisites';
import { said } from '../../words/words';
import { byName } from '../naming';
import { SetupForm } from './form';

const CONNECTOR_NAMES = { dynamics365: 'Dynamics 365', dataverse: 'Dataverse' } as const;
/** What to pick under "New connection" today: the Dynamics 365 connector takes no new connections since April 2022. */
const CREATE_NAMES = { dynamics365: 'Dataverse (Legacy)', dataverse: 'Dataverse (Legacy)' } as const;

/** Step 1: the environments and the user's connections in them; how to create what is missing. */
export const prerequisitesForm: SetupForm = {
  step: 'prerequisites',

  async render({ di, draft, problem }) {
    const report = await checkPrerequisites(di);
    const tooFew = !report.source || !report.destination;
    const ready = !tooFew && report.missing.length === 0;
    const list = (n: number) => (n === 0 ? said('prereq.none') : said('prereq.connected', { n }));
    // The two this setup picked first: a big tenant's card shows only as many environments as fit.
    const picked = [report.source, report.destination].filter((e) => e !== undefined);
    const others = report.environments.filter((e) => !picked.includes(e)).sort((a, b) => byName(a.environment.displayName, b.environment.displayName));
    return { form: 'prerequisites', view: {
      flowId: draft.flowId,
      title: said(ready ? 'prereq.ready' : 'prereq.missing'),
      environments: [...picked, ...others].map((e) => ({
        displayName: e.environment.displayName, dynamics: list(e.dynamics.length), dataverse: list(e.dataverse.length),
      })),
      missing: report.missing.map((m) => ({ environment: m.environment.displayName, connector: CONNECTOR_NAMES[m.connector], create: CREATE_NAMES[m.connector], url: m.connectionsUrl })),
      problem: problem ?? (tooFew ? said('form.tooFewEnvironments') : undefined),
      ready,
    } };
  },

  async submit({ di, draft }, action) {
    if (action.action === 'refresh') return { go: 'stay', draft };
    const report = await checkPrerequisites(di);
    if (report.missing.length > 0 || !report.source || !report.destination) {
      return { go: 'stay', draft, problem: said('form.stillMissing') };
    }
    return { go: 'next', draft };
  },
};
