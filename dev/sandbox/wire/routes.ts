/**
 * The sandbox's own route table: what each imitated service serves, written as the service
 * would publish it. It is kept apart from the bot's client on purpose, so that the contract tests
 * compare two independent readings of the same API and catch a path, method or version drift.
 * Route names are the ones tests use to inject faults (`faults.inject({ route: 'listTemplates' })`).
 */

/** The imitated services. */
export type ServiceName = 'bap' | 'powerapps' | 'dataverse' | 'integrator';

/** The HTTP methods the services use. */
export type Method = 'GET' | 'PUT' | 'POST';

/** Where a service lives under the sandbox origin, and the api-version it insists on, if any. */
export interface ServiceMount {
  /** Absolute path prefix; `{environmentName}` gives Dataverse one root per environment. */
  root: string;
  apiVersion?: string;
}

/** One mount per service. */
export const SERVICE_MOUNTS: Readonly<Record<ServiceName, ServiceMount>> = {
  bap: { root: '/bap/', apiVersion: '2020-10-01' },
  powerapps: { root: '/powerapps/', apiVersion: '2016-11-01' },
  dataverse: { root: '/dataverse/{environmentName}/' },
  integrator: { root: '/integrator/' },
};

/** Per service, route name to `METHOD path` (relative to the service root; `{name}` binds one segment). */
const SERVED = {
  bap: {
    listEnvironments: 'GET providers/Microsoft.BusinessAppPlatform/scopes/admin/environments',
  },
  powerapps: {
    listConnections: 'GET providers/Microsoft.PowerApps/scopes/admin/environments/{environmentName}/connections',
  },
  dataverse: {
    whoAmI: 'GET api/data/v9.2/WhoAmI()',
    listDataflows: 'GET api/data/v9.2/msdyn_dataflows',
    listDataflowRefreshes: 'GET api/data/v9.2/msdyn_dataflowrefreshhistories',
    listTableRefreshes: 'GET api/data/v9.2/msdyn_entityrefreshhistories',
    // After WhoAmI() and the dataflow tables: the router takes the first route whose path matches, and this one matches any segment.
    listRecords: 'GET api/data/v9.2/{entitySetName}',
  },
  integrator: {
    listProjects: 'GET api/ProjectSummary',
    getProject: 'GET api/Project/{projectName}',
    createProject: 'PUT api/Project/{projectName}',
    runProject: 'POST api/Project/{projectName}/Execute',
    saveProjectAsTemplate: 'POST api/Project/{projectName}/SaveAsTemplate',
    getSchedule: 'GET api/Project/{projectName}/Schedule',
    setSchedule: 'PUT api/Project/{projectName}/Schedule',
    pauseSchedule: 'POST api/Project/{projectName}/Schedule/Pause',
    resumeSchedule: 'POST api/Project/{projectName}/Schedule/Resume',
    listExecutions: 'GET api/ProjectExecutionWithCompanies/{projectId}',
    listConnectionSets: 'GET api/ConnectionSet',
    getConnectionSet: 'GET api/ConnectionSet/{connectionSetName}',
    createConnectionSet: 'PUT api/ConnectionSet/{connectionSetName}',
    listTemplates: 'GET api/Template',
  },
} as const satisfies { [S in ServiceName]: Readonly<Record<string, `${Method} ${string}`>> };

type Served = typeof SERVED;

/** The name of a route the sandbox serves. */
export type RouteName = { [S in ServiceName]: keyof Served[S] }[ServiceName];

/** A served route, resolved to its service, method and full path template. */
export interface ServedRoute {
  name: RouteName;
  service: ServiceName;
  method: Method;
  /** Absolute path template, service root included. */
  path: string;
  apiVersion?: string;
}

/** Every route of every service, flattened. */
export function servedRoutes(): ServedRoute[] {
  return (Object.keys(SERVED) as ServiceName[]).flatMap((service) => {
    const { root, apiVersion } = SERVICE_MOUNTS[service];
    return Object.entries(SERVED[service]).map(([name, line]): ServedRoute => {
      const [method, path] = line.split(' ', 2) as [Method, string];
      return { name: name as RouteName, service, method, path: root + path, ...(apiVersion ? { apiVersion } : {}) };
    });
  });
}
