import type { Logger } from 'pino';
import { dataIntegrationOver } from './dataIntegrationOver';
import { HttpClient } from './http/httpClient';
import type { DataIntegration, TokenProvider } from './port';
import type { RouteTable } from './routeOverrides';
import { BapClient } from './services/bapClient';
import { DataverseClient } from './services/dataverseClient';
import { IntegratorClient } from './services/integratorClient';
import { PowerAppsClient } from './services/powerAppsClient';
import type { ProjectIdCache } from './services/projectIdCache';

/** Base URLs of the services; Dataverse URLs come from each environment. */
export interface DataIntegrationBaseUrls {
  bap: string;
  powerapps: string;
  integrator: string;
}

/** Options of createDataIntegration. */
export interface DataIntegrationOptions {
  baseUrls: DataIntegrationBaseUrls;
  tokens: TokenProvider;
  /** Time-out of one attempt of one request. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, network, time-out). */
  maxRetries: number;
  logger?: Logger;
  /** The route table with an admin's corrections (INTEGRATOR_ROUTES_FILE); ROUTES by default. */
  routes?: RouteTable;
  /** Backoff tuning; tests shorten it. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Project ids remembered across clients; without it the client keeps its own. */
  projectIds?: ProjectIdCache;
}

/** Builds the real Data Integration client over HTTP. */
export function createDataIntegration(options: DataIntegrationOptions): DataIntegration {
  const http = new HttpClient({
    tokens: options.tokens,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger: options.logger?.child({ component: 'data-integration' }),
    ...options.backoff,
  });
  return dataIntegrationOver({
    bap: new BapClient(http, options.baseUrls.bap),
    powerApps: new PowerAppsClient(http, options.baseUrls.powerapps),
    dataverse: new DataverseClient(http),
    integrator: new IntegratorClient(http, options.baseUrls.integrator, options.routes, options.projectIds),
  });
}
