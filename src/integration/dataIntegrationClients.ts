import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Person } from '../person';
import { DataIntegrationError } from './errors';
import { HttpClient } from './http/httpClient';
import type { DataflowEnvironment, DataIntegration, Environment, TokenProvider } from './port';
import type { RouteTable } from './routeOverrides';
import { SCOPES } from './routes';
import { BapClient } from './services/bapClient';
import { DataflowClient } from './services/dataflowClient';
import { DataverseClient, dataverseWebApi } from './services/dataverseClient';
import { IntegratorClient } from './services/integratorClient';
import { PowerAppsClient } from './services/powerAppsClient';
import { ProjectIdCache } from './services/projectIdCache';
import { appTokenProvider, scopedTokenProvider, staticTokenProvider, userTokenProvider, type UserTokenFetch } from './tokens/providers';

/** Base URLs of the services; Dataverse URLs come from each environment. */
export interface DataIntegrationBaseUrls {
  bap: string;
  powerapps: string;
  integrator: string;
}

/** Where the services are and which routes they answer (ROUTES with INTEGRATOR_ROUTES_FILE applied). */
export interface ServiceWire { baseUrls: DataIntegrationBaseUrls; routes?: RouteTable }

/** The token of a person nobody is chatting with, looked up in a conversation they are in; undefined if that cannot be done (the edge supplies it). */
export type OwnerTokenSource = (person: Person, conversationId: string) => Promise<UserTokenFetch | undefined>;

/** Whose client: a person and a conversation they are in (a watch is one). */
export interface ClientOwner { owner: Person; conversationId: string }

/** How the edge (src/teams) reaches a person's token: on their own turn, or through a conversation they are in. */
export interface PersonTokenSources<Turn> {
  ofTurn?: (turn: Turn) => UserTokenFetch;
  ofOwner?: OwnerTokenSource;
}

/**
 * Builds the Data Integration clients of one bot process and owns what outlives a client (the
 * project ids). Local mode: one client with a fixed token (the sandbox accepts any). Teams mode: a
 * client per person, with their token for the Data Integrator (only delegated access is shown to work
 * there) and the app's own credential for the admin APIs. The edge supplies only the person's token.
 */
export class DataIntegrationClients<Turn = unknown> {
  private readonly projectIds = new ProjectIdCache();
  private readonly app: TokenProvider | undefined;
  private shared: DataIntegration | undefined;
  private bot: DataIntegration | undefined;

  constructor(private readonly config: Config, private readonly wire: ServiceWire, private readonly logger?: Logger, private readonly tokens: PersonTokenSources<Turn> = {}) {
    this.app = config.mode === 'local' ? undefined : appTokenProvider(
      config.MicrosoftAppType === 'UserAssignedMSI'
        ? { kind: 'managedIdentity', clientId: config.MicrosoftAppId }
        : { kind: 'clientSecret', tenantId: config.MicrosoftAppTenantId!, clientId: config.MicrosoftAppId!, clientSecret: config.MicrosoftAppPassword! },
    );
  }

  /** The client acting for a person; `personToken` gives their Data Integrator token (unused in local mode). */
  forPerson(personToken: UserTokenFetch): DataIntegration {
    if (!this.app) return (this.shared ??= this.build(staticTokenProvider()));
    const user = userTokenProvider(SCOPES.integrator, async (options) => {
      const token = await personToken(options);
      if (!token?.token) {
        // The catalogue words it for the person (no_token); the message is for the log.
        throw new DataIntegrationError('no token of the person for Data Integration (not signed in)', { service: 'integrator', code: 'no_token' });
      }
      return token;
    });
    return this.build(scopedTokenProvider({ [SCOPES.integrator]: user }, this.app));
  }

  /** The client acting for the person of a turn. */
  readonly forTurn = async (turn: Turn): Promise<DataIntegration> => this.forPerson(this.tokens.ofTurn?.(turn) ?? (async () => undefined));

  /**
   * The client acting as the bot alone: the admin APIs and Dataverse (the dataflow tables) with its own identity; the
   * Data Integrator, which takes only a person's token, is refused (no_token). One per process.
   */
  readonly forBot = (): DataIntegration => (this.bot ??= this.forPerson(async () => undefined));

  /** The client acting for a person nobody is chatting with (a watch's owner); undefined when their sign-in cannot be reached. */
  readonly forOwner = async ({ owner, conversationId }: ClientOwner): Promise<DataIntegration | undefined> => {
    const token = await this.tokens.ofOwner?.(owner, conversationId);
    return token && this.forPerson(token);
  };

  private build(tokens: TokenProvider): DataIntegration {
    const { HTTP_TIMEOUT_MS: timeoutMs, HTTP_MAX_RETRIES: maxRetries } = this.config;
    return createDataIntegration({ ...this.wire, tokens, timeoutMs, maxRetries, logger: this.logger, projectIds: this.projectIds });
  }
}

/** The public service hosts; the Data Integrator's differs per region and is configuration. */
export function serviceBaseUrls(config: Config, fallback?: Partial<DataIntegrationBaseUrls>): DataIntegrationBaseUrls {
  // SANDBOX_URL: a sandbox running as its own process (`npm run sandbox`), shared by several bot instances.
  const sandbox = config.SANDBOX_URL?.replace(/\/+$/, '');
  if (sandbox) fallback = { bap: `${sandbox}/bap`, powerapps: `${sandbox}/powerapps`, integrator: `${sandbox}/integrator`, ...fallback };
  return {
    bap: config.BAP_BASE_URL ?? fallback?.bap ?? 'https://api.bap.microsoft.com/',
    powerapps: config.POWERAPPS_BASE_URL ?? fallback?.powerapps ?? 'https://api.powerapps.com/',
    integrator: config.INTEGRATOR_BASE_URL ?? fallback?.integrator ?? '',
  };
}

/** Options of createDataIntegration. */
export interface DataIntegrationOptions extends ServiceWire {
  tokens: TokenProvider;
  /** Time-out of one attempt of one request. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, network, time-out). */
  maxRetries: number;
  logger?: Logger;
  /** Backoff tuning; tests shorten it. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Project ids remembered across clients; without it the client keeps its own. */
  projectIds?: ProjectIdCache;
}

/** Builds the real Data Integration client over HTTP: each method goes straight to the service that owns it. */
export function createDataIntegration(options: DataIntegrationOptions): DataIntegration {
  const http = new HttpClient({
    tokens: options.tokens, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries,
    logger: options.logger?.child({ component: 'data-integration' }), ...options.backoff,
  });
  const bap = new BapClient(http, options.baseUrls.bap);
  const powerApps = new PowerAppsClient(http, options.baseUrls.powerapps);
  // The environments come from BAP: a stand-in that serves both (the sandbox) may give Web API addresses of its own.
  const webApi = dataverseWebApi(options.baseUrls.bap);
  const dataverse = new DataverseClient(http, webApi);
  const dataflows = new DataflowClient(http, webApi);
  const integrator = new IntegratorClient(http, options.baseUrls.integrator, options.routes, options.projectIds);

  const asEnvironment = async <E extends DataflowEnvironment>(environment: E | string): Promise<E | Environment> => {
    if (typeof environment !== 'string') return environment;
    const found = (await bap.listEnvironments()).find((e) => e.name === environment);
    if (found) return found;
    throw new DataIntegrationError(`environment ${environment} not found`, { service: 'bap', code: 'not_found', status: 404 });
  };

  return {
    listEnvironments: () => bap.listEnvironments(),
    listConnections: (environmentName, connector) => powerApps.listConnections(environmentName, connector),
    getOrganizationId: async (environment) => dataverse.organizationId(await asEnvironment(environment)),
    recordNames: async (environment, entity, ids) => dataverse.recordNames(await asEnvironment(environment), entity, ids),
    listDataflows: async (environment) => dataflows.listDataflows(await asEnvironment(environment)),
    listedDataflowIds: async (environment) => dataflows.listedDataflowIds(await asEnvironment(environment)),
    refreshesEndedSince: async (environment, ids, since) => dataflows.refreshesEndedSince(await asEnvironment(environment), ids, since),
    tableRefreshes: async (environment, refreshId) => dataflows.tableRefreshes(await asEnvironment(environment), refreshId),
    listConnectionSets: () => integrator.listConnectionSets(),
    getConnectionSet: (name) => integrator.getConnectionSet(name),
    createConnectionSet: (input) => integrator.createConnectionSet(input),
    listTemplates: () => integrator.listTemplates(),
    listProjects: () => integrator.listProjects(),
    getProject: (name) => integrator.getProject(name),
    createProject: (input) => integrator.createProject(input),
    runProject: (name) => integrator.runProject(name),
    listExecutions: (projectName) => integrator.listExecutions(projectName),
    getExecution: (projectName, executionId) => integrator.getExecution(projectName, executionId),
    getSchedule: (projectName) => integrator.getSchedule(projectName),
    setSchedule: (projectName, recurrence) => integrator.setSchedule(projectName, recurrence),
    pauseSchedule: (projectName) => integrator.pauseSchedule(projectName),
    resumeSchedule: (projectName) => integrator.resumeSchedule(projectName),
    saveProjectAsTemplate: (projectName, templateName) => integrator.saveProjectAsTemplate(projectName, templateName),
  };
}
