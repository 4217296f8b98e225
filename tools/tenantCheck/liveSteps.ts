import { type DataIntegration, type DataflowEnvironment, type DataflowRefresh, type Environment, type Execution, type Recurrence, refreshedByHand } from '../../src/integration/port';
import { MAX_DATAFLOWS_PER_QUERY } from '../../src/integration/services/dataflowClient';

const describe = (r: Recurrence) => (r.kind === 'manual' ? 'run by hand' : `every ${r.every} ${r.unit}`);

/** One step of a live check and how it went. */
export interface StepResult {
  step: string;
  ok: boolean;
  detail: string;
}

type Step = (di: DataIntegration) => Promise<string>;

async function attempt(results: StepResult[], step: string, run: () => Promise<string>): Promise<boolean> {
  try {
    results.push({ step, ok: true, detail: await run() });
    return true;
  } catch (err) {
    results.push({ step, ok: false, detail: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

/** How far back the check reads refreshes with the watcher's query (the look-back of a watch's first poll). */
const REFRESH_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The read-only calls: environments, their connections and WhoAmI, the dataflow tables, then the Data Integrator's
 * lists and one project.
 */
export async function readOnlySteps(di: DataIntegration, results: StepResult[], now = new Date()): Promise<Environment[]> {
  let environments: Environment[] = [];
  await attempt(results, 'list environments', async () => `${(environments = await di.listEnvironments()).length} environments`);
  for (const e of environments) {
    await attempt(results, `connections of ${e.name}`, async () => `${(await di.listConnections(e.name)).length} connections`);
    if (e.instanceApiUrl) await attempt(results, `WhoAmI in ${e.name}`, async () => `organization ${await di.getOrganizationId(e)}`);
  }
  await dataflowSteps(di, environments, results, now);
  let first: string | undefined;
  await attempt(results, 'project summary', async () => {
    const projects = await di.listProjects();
    first = projects[0]?.name;
    return `${projects.length} projects`;
  });
  await attempt(results, 'list connection sets', async () => `${(await di.listConnectionSets()).length} connection sets`);
  await attempt(results, 'list templates', async () => `${(await di.listTemplates()).length} templates`);
  const project = first;
  if (project) {
    const steps: [string, Step][] = [
      [`project ${project}`, async (d) => `${(await d.getProject(project)).entityMappings.length} entity mappings`],
      [`execution history of ${project}`, async (d) => `${(await d.listExecutions(project)).length} runs`],
      [`schedule of ${project}`, async (d) => describe((await d.getSchedule(project)).recurrence)],
    ];
    for (const [name, run] of steps) await attempt(results, name, () => run(di));
  }
  return environments;
}

/**
 * Each documented dataflow route once, with the query the bot sends: the dataflows of the environments with a
 * Dataverse until one has some ("watch dataflows" lists them so), that environment's refreshes of the last week
 * (the watcher's query), its listing of dataflow ids (how the watcher finds deleted ones), and the tables of its latest
 * refresh (as an alert reads them).
 */
/**
 * The refresh types seen and how many of each, with how the stall rule reads them: the values of `msdyn_refreshtype`
 * are not documented, so this is where an operator sees whether those meaning "by hand" are the ones it recognises.
 */
function refreshTypes(refreshes: readonly DataflowRefresh[]): string {
  const counts = new Map<string, number>();
  for (const r of refreshes) counts.set(r.refreshType ?? '', (counts.get(r.refreshType ?? '') ?? 0) + 1);
  if (counts.size === 0) return '';
  const each = [...counts].map(([type, n]) => `${type ? JSON.stringify(type) : 'none'} ${n}${refreshedByHand(type) ? ' (by hand: not a schedule)' : ''}`);
  return `; refresh types: ${each.join(', ')}`;
}

async function dataflowSteps(di: DataIntegration, environments: readonly Environment[], results: StepResult[], now: Date): Promise<void> {
  const withDataverse = environments.filter((e): e is DataflowEnvironment & Environment => Boolean(e.instanceUrl && e.instanceApiUrl));
  for (const e of withDataverse) {
    let ids: string[] = [];
    await attempt(results, `dataflows in ${e.name}`, async () => `${(ids = (await di.listDataflows(e)).map((d) => d.id)).length} dataflows`);
    if (ids.length === 0) continue;
    let latest: string | undefined;
    const since = new Date(now.getTime() - REFRESH_LOOKBACK_MS).toISOString();
    await attempt(results, `dataflow refreshes in ${e.name}`, async () => {
      const watched = ids.slice(0, MAX_DATAFLOWS_PER_QUERY); // one query
      const refreshes = await di.refreshesEndedSince(e, watched, since);
      latest = refreshes.at(-1)?.id;
      return `${refreshes.length} refreshes of ${watched.length} dataflows since ${since}${refreshTypes(refreshes)}`;
    });
    await attempt(results, `dataflow ids in ${e.name}`, async () => `${(await di.listedDataflowIds(e)).length} dataflows listed`);
    const refresh = latest;
    if (refresh) await attempt(results, `tables of refresh ${refresh}`, async () => `${(await di.tableRefreshes(e, refresh)).length} tables`);
    return;
  }
}

/** `--write`: a connection set and a project `tenant-check-<time>` from the first template, run once. */
export async function writeSteps(di: DataIntegration, environments: readonly Environment[], results: StepResult[], now = new Date()): Promise<void> {
  const name = `tenant-check-${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  let input: Parameters<DataIntegration['createConnectionSet']>[0] | undefined;
  const ready = await attempt(results, 'find a Dynamics 365 and a Dataverse connection', async () => {
    const pick = async (connector: 'dynamics365' | 'dataverse', other?: Environment) => {
      for (const e of environments.filter((x) => x !== other)) {
        const [c] = await di.listConnections(e.name, connector);
        if (c && (connector === 'dynamics365' || e.instanceApiUrl)) return { e, c };
      }
      throw new Error(`no ${connector} connection in any environment`);
    };
    const dynamics = await pick('dynamics365');
    const dataverse = await pick('dataverse', dynamics.e);
    const mapping = { dynamicsOrganization: dynamics.e.domainName ?? dynamics.e.name, dataverseOrganizationId: await di.getOrganizationId(dataverse.e) };
    input = {
      name: `${name}-set`,
      dynamics: { connectionName: dynamics.c.name, environmentName: dynamics.e.name },
      dataverse: { connectionName: dataverse.c.name, environmentName: dataverse.e.name },
      organizationMappings: [mapping],
    };
    return `${dynamics.c.displayName} and ${dataverse.c.displayName}`;
  });
  if (!ready || !input) return;
  const set = input;
  if (!(await attempt(results, `create connection set ${set.name}`, async () => `created ${(await di.createConnectionSet(set)).name}`))) return;
  let template = '';
  if (!(await attempt(results, 'pick the first template', async () => (template = (await di.listTemplates())[0]?.name ?? '')))) return;
  const created = await attempt(results, `create project ${name}`, async () => {
    const project = await di.createProject({ name, templateName: template, connectionSetName: set.name, organizationMapping: set.organizationMappings[0]!, consent: true });
    return `created from "${template}" (${project.entityMappings.length} entity mappings)`;
  });
  if (!created) return;
  let runId = '';
  if (!(await attempt(results, `run ${name}`, async () => `run ${(runId = await di.runProject(name))} started`))) return;
  await attempt(results, `wait for run ${runId}`, async () => {
    const run = await finished(di, name, runId);
    if (run.status === 'failed') throw new Error(`the run failed: ${run.message ?? 'no message'}`);
    return `${run.status}, ${run.upserts} upserts, ${run.errorCount} errors`;
  });
}

async function finished(di: DataIntegration, project: string, runId: string, timeoutMs = 120_000): Promise<Execution> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await di.getExecution(project, runId);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`still ${run.status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
