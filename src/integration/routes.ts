import { isWellFormed } from '../words/sanitize';
import { DataIntegrationError, type ServiceName } from './errors';

/**
 * How sure we are that a route exists as written: `documented` by Microsoft, `unverified` (our guess:
 * no public source calls it), or `confirmed` by an admin's tenant check (set by INTEGRATOR_ROUTES_FILE).
 */
export type Evidence = 'documented' | 'unverified' | 'confirmed';

/** One HTTP route of a service, relative to that service's base URL; `{name}` marks a path parameter. */
export interface RouteSpec {
  service: ServiceName;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  query?: Readonly<Record<string, string>>;
  evidence: Evidence;
  /** Safe to send twice: only idempotent routes are retried after 5xx, network faults or time-outs. */
  idempotent: boolean;
}

const route = (spec: Omit<RouteSpec, 'idempotent'> & { idempotent?: boolean }): RouteSpec =>
  Object.freeze({ ...spec, idempotent: spec.idempotent ?? spec.method !== 'POST' });

/**
 * Every route the client calls and the sandbox serves. Microsoft publishes no API for the
 * Data Integrator: routes marked `unverified` are our best guess and must be checked against a
 * real tenant (`npm run tenant-check`); an admin corrects them without a rebuild with
 * INTEGRATOR_ROUTES_FILE (see routeOverrides.ts).
 */
export const ROUTES = {
  listEnvironments: route({
    service: 'bap', method: 'GET', evidence: 'documented',
    path: 'providers/Microsoft.BusinessAppPlatform/scopes/admin/environments',
    query: { 'api-version': '2020-10-01' },
  }),
  listConnections: route({
    service: 'powerapps', method: 'GET', evidence: 'documented',
    path: 'providers/Microsoft.PowerApps/scopes/admin/environments/{environmentName}/connections',
    query: { 'api-version': '2016-11-01' },
  }),
  whoAmI: route({ service: 'dataverse', method: 'GET', evidence: 'documented', path: 'api/data/v9.2/WhoAmI()' }),
  // The dataflow tables (solution "Power Platform Dataflows"), read with OData query options built by the caller.
  // Before listRecords: a capture's call is matched to the first route that fits, and listRecords fits any table.
  listDataflows: route({ service: 'dataverse', method: 'GET', evidence: 'documented', path: 'api/data/v9.2/msdyn_dataflows' }),
  listDataflowRefreshes: route({
    service: 'dataverse', method: 'GET', evidence: 'documented', path: 'api/data/v9.2/msdyn_dataflowrefreshhistories',
  }),
  listTableRefreshes: route({
    service: 'dataverse', method: 'GET', evidence: 'documented', path: 'api/data/v9.2/msdyn_entityrefreshhistories',
  }),
  /** Rows of a table, e.g. `accounts?$select=name&$filter=accountid eq …` (OData query built by the caller). */
  listRecords: route({ service: 'dataverse', method: 'GET', evidence: 'documented', path: 'api/data/v9.2/{entitySetName}' }),
  listProjects: route({ service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/ProjectSummary' }),
  getProject: route({ service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/Project/{projectName}' }),
  getConnectionSet: route({
    service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/ConnectionSet/{connectionSetName}',
  }),
  listExecutions: route({
    service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/ProjectExecutionWithCompanies/{projectId}',
  }),
  /** Guessed from the "save whole project" call; that it also creates one from a template is unverified too. */
  createProject: route({ service: 'integrator', method: 'PUT', evidence: 'unverified', path: 'api/Project/{projectName}' }),
  listConnectionSets: route({ service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/ConnectionSet' }),
  createConnectionSet: route({
    service: 'integrator', method: 'PUT', evidence: 'unverified', path: 'api/ConnectionSet/{connectionSetName}',
  }),
  listTemplates: route({ service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/Template' }),
  runProject: route({
    service: 'integrator', method: 'POST', evidence: 'unverified', path: 'api/Project/{projectName}/Execute',
  }),
  getSchedule: route({
    service: 'integrator', method: 'GET', evidence: 'unverified', path: 'api/Project/{projectName}/Schedule',
  }),
  setSchedule: route({
    service: 'integrator', method: 'PUT', evidence: 'unverified', path: 'api/Project/{projectName}/Schedule',
  }),
  pauseSchedule: route({
    service: 'integrator', method: 'POST', evidence: 'unverified', idempotent: true,
    path: 'api/Project/{projectName}/Schedule/Pause',
  }),
  resumeSchedule: route({
    service: 'integrator', method: 'POST', evidence: 'unverified', idempotent: true,
    path: 'api/Project/{projectName}/Schedule/Resume',
  }),
  saveProjectAsTemplate: route({
    service: 'integrator', method: 'POST', evidence: 'unverified', path: 'api/Project/{projectName}/SaveAsTemplate',
  }),
} as const;

/** The name of a route in ROUTES. */
export type RouteName = keyof typeof ROUTES;

/** Token scopes per audience (the `.default` scope of each resource). */
export const SCOPES = {
  powerPlatform: 'https://service.powerapps.com/.default',
  integrator: 'https://IntegratorApp.com/.default',
  dataverse: (instanceUrl: string): string => `${new URL(instanceUrl).origin}/.default`,
} as const;

/** Builds the absolute URL of a route: base URL + path with encoded parameters + fixed query. */
export function routeUrl(baseUrl: string, spec: RouteSpec, params: Readonly<Record<string, string>> = {}): URL {
  const path = spec.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Missing route parameter ${key} for ${spec.path}`);
    if (!isWellFormed(value)) {
      throw new DataIntegrationError(`The ${key} contains a broken character (a lone UTF-16 surrogate) that cannot be sent to the service.`, { service: spec.service, code: 'validation' });
    }
    // encodeURIComponent keeps `.`: a value of `.` or `..` would be a dot segment and address another route;
    // an empty one at the start of a path makes it absolute ("/…"), out of the base URL's path.
    if (value === '' || value === '.' || value === '..') {
      throw new DataIntegrationError(`The ${key} cannot be "${value}".`, { service: spec.service, code: 'validation' });
    }
    return encodeURIComponent(value);
  });
  const url = new URL(path, baseWithSlash(baseUrl));
  for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
  return url;
}

const baseWithSlash = (baseUrl: string): string => (baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

/**
 * True when a token may go to `url`: same scheme, host and port as the service's base URL, no user info, and a path
 * under the base URL's path. The one check before any call, whatever built the URL (route table, paging link).
 */
export function isUnderBaseUrl(url: URL, baseUrl: string): boolean {
  const base = new URL(baseWithSlash(baseUrl));
  return url.origin === base.origin && url.username === '' && url.password === '' && url.pathname.startsWith(base.pathname);
}
