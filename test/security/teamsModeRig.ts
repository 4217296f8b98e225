import { startApp, RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { tempDataDir } from '../helpers/harness';
import { startTokenService } from '../sso/tokenService';
import { startKeyServer } from './keyServer';
import { jwt, rsaKeys } from './securityRig';

export const APP_ID = '11111111-2222-3333-4444-555555555555';
const now = () => Math.floor(Date.now() / 1000);

/** The production app in Teams mode on loopback, with every service it calls stood in for. */
export interface TeamsModeRig {
  app: RunningApp;
  /** The Bot Framework token service (a person signs in by a token put in `tokens.state.tokens`) and App Service's identity endpoint. */
  tokens: Awaited<ReturnType<typeof startTokenService>>;
  connector: Awaited<ReturnType<typeof startLocalConnector>>;
  sandbox: Sandbox;
  /** Posts an activity as the Bot Connector does, with a channel token the bot accepts. */
  post(activity: object): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * Starts the bot as App Service runs it (a managed-identity bot of `tenant`) over a sandbox, a key server, a token
 * service and a local connector; `env` adds settings, `log` takes its log lines (info level; none: silent).
 */
export async function startTeamsModeRig(tenant: string, env: Record<string, string> = {}, log?: (line: string) => void): Promise<TeamsModeRig> {
  const keys = rsaKeys();
  const dataDir = tempDataDir();
  const [keyServer, tokens, connector, sandbox] = await Promise.all([
    startKeyServer(keys.publicKey, 'bf-key'), startTokenService(`api://botid-${APP_ID}`), startLocalConnector(), startSandbox({ port: 0, dataDir }),
  ]);
  // App Service's managed identity endpoint: the bot's own token for the Bot Connector and the Power Platform.
  const saved = { ...process.env };
  Object.assign(process.env, { IDENTITY_ENDPOINT: tokens.msiEndpoint, IDENTITY_HEADER: 'test-identity-header' });
  const config = loadConfig({
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: log ? 'info' : 'silent', MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: tenant,
    INTEGRATOR_BASE_URL: sandbox.baseUrls.integrator, BAP_BASE_URL: sandbox.baseUrls.bap, POWERAPPS_BASE_URL: sandbox.baseUrls.powerapps,
    BOT_OPENID_METADATA_URL: keyServer.url, BOT_OAUTH_URL: tokens.url, ...env,
  }, 'test');
  const app = await startApp(config, createLogger(config.LOG_LEVEL, log && { write: log }));
  return {
    app, tokens, connector, sandbox,
    async post(activity) {
      const token = jwt({ alg: 'RS256', kid: 'bf-key' }, { iss: 'https://api.botframework.com', aud: APP_ID, exp: now() + 3600, nbf: now() - 60, serviceurl: connector.serviceUrl }, keys.privateKey);
      const res = await fetch(`${app.url.replace('0.0.0.0', '127.0.0.1')}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await app.close();
      process.env = saved;
      await Promise.all([keyServer.close(), tokens.close(), connector.close(), sandbox.close()]);
    },
  };
}
