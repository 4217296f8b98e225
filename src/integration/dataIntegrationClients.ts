import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDataIntegration, type DataIntegrationBaseUrls } from './createDataIntegration';
import { DataIntegrationError } from './errors';
import type { RouteTable } from './routeOverrides';
import type { DataIntegration, TokenProvider } from './port';
import { SCOPES } from './routes';
import { ProjectIdCache } from './services/projectIdCache';
import { appTokenProvider, scopedTokenProvider, staticTokenProvider, userTokenProvider, type UserTokenFetch } from './tokens/providers';

/** Where the services are and which routes they answer (ROUTES with INTEGRATOR_ROUTES_FILE applied). */
export interface ServiceWire { baseUrls: DataIntegrationBaseUrls; routes?: RouteTable }

/**
 * Builds the Data Integration clients of one bot process and owns what outlives a client (the
 * project ids). Local mode: one client with a fixed token (the sandbox accepts any). Teams mode: a
 * client per person, with their token for the Data Integrator (only delegated access is shown to work
 * there) and the app's own credential for the admin APIs. The edge supplies only the person's token.
 */
export class DataIntegrationClients {
  private readonly projectIds = new ProjectIdCache();
  private readonly app: TokenProvider | undefined;
  private shared: DataIntegration | undefined;

  constructor(private readonly config: Config, private readonly wire: ServiceWire, private readonly logger?: Logger) {
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
        throw new DataIntegrationError('You are not signed in to Data Integration: type "sign in" first.', { service: 'integrator', code: 'no_token' });
      }
      return token;
    });
    return this.build(scopedTokenProvider({ [SCOPES.integrator]: user }, this.app));
  }

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
