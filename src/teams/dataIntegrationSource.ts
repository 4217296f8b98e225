import { CloudAdapter, TurnContext } from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';
import { Config } from '../config';
import { Logger } from '../logger';
import {
  appTokenProvider, createDataIntegration, DataIntegration, DataIntegrationBaseUrls, DataIntegrationError,
  RouteTable, SCOPES, scopedTokenProvider, staticTokenProvider, TokenProvider, userTokenProvider,
} from '../integration';

/** Gives the Data Integration client that acts for the person of a turn. */
export type DataIntegrationSource = (context: TurnContext) => Promise<DataIntegration>;

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

/** Where the services are and which routes they answer (ROUTES with INTEGRATOR_ROUTES_FILE applied). */
export interface ServiceWire { baseUrls: DataIntegrationBaseUrls; routes?: RouteTable }

function clientFor(config: Config, wire: ServiceWire, tokens: TokenProvider, logger: Logger): DataIntegration {
  const { baseUrls, routes } = wire;
  return createDataIntegration({ baseUrls, routes, tokens, timeoutMs: config.HTTP_TIMEOUT_MS, maxRetries: config.HTTP_MAX_RETRIES, logger });
}

/**
 * Local mode: one client with a fixed token (the sandbox accepts any). Teams mode: the person's
 * token from the bot's OAuth connection for the Data Integrator (only delegated access is shown
 * to work there) and the app's own credential for the admin APIs.
 */
export function dataIntegrationSource(config: Config, wire: ServiceWire, logger: Logger, adapter: CloudAdapter): DataIntegrationSource {
  if (config.mode === 'local') {
    const shared = clientFor(config, wire, staticTokenProvider(), logger);
    return async () => shared;
  }
  const app = appTokenProvider(
    config.MicrosoftAppType === 'UserAssignedMSI'
      ? { kind: 'managedIdentity', clientId: config.MicrosoftAppId }
      : { kind: 'clientSecret', tenantId: config.MicrosoftAppTenantId!, clientId: config.MicrosoftAppId!, clientSecret: config.MicrosoftAppPassword! },
  );
  return async (context) => {
    const tokens = context.turnState.get<UserTokenClient>(adapter.UserTokenClientKey);
    const a = context.activity;
    const user = userTokenProvider(SCOPES.integrator, async () => {
      const token = await tokens?.getUserToken(a.from.id, config.OAUTH_CONNECTION_NAME, a.channelId, '');
      if (!token?.token) {
        throw new DataIntegrationError('You are not signed in to Data Integration: type "sign in" first.', { service: 'integrator', code: 'no_token' });
      }
      return { token: token.token, expiresOn: token.expiration };
    });
    return clientFor(config, wire, scopedTokenProvider({ [SCOPES.integrator]: user }, app), logger);
  };
}
