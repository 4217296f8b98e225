import { startApp, RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { Sandbox, SANDBOX_ENVIRONMENTS, startSandbox } from '../../dev/sandbox';
import { message } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';
import { startTokenService } from '../sso/tokenService';
import { startKeyServer } from './keyServer';
import { jwt, rsaKeys } from './securityRig';

const APP_ID = '11111111-2222-3333-4444-555555555555';
/** The tenant the bot is registered in (MicrosoftAppTenantId): its own identity reads this tenant's environments. */
const HOME = '99999999-8888-7777-6666-555555555555';
const OTHER = '12345678-1234-4234-8234-123456789abc';
const now = () => Math.floor(Date.now() / 1000);

/** What Teams sends from a personal chat in `tenant` (or, `undefined`, an activity that names no tenant). */
function inTenant(serviceUrl: string, text: string, tenant: string | undefined) {
  const activity = message(serviceUrl, text, 'personal');
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId: tenant },
    channelData: tenant ? { tenant: { id: tenant } } : {},
  };
}

/**
 * Teams mode: the bot reads the Power Platform of its own tenant with its own identity (environments, connections,
 * dataflows: docs/security.md), and anyone in a conversation sees what it reads. A tenant that installs the app with
 * the bot's id (any Teams admin can upload a manifest naming it) must not reach that: Bot Framework signs the activity
 * for the bot whatever tenant it comes from.
 */
describe('Teams mode: activities from another tenant', () => {
  const keys = rsaKeys();
  let keyServer: Awaited<ReturnType<typeof startKeyServer>>;
  let tokens: Awaited<ReturnType<typeof startTokenService>>;
  let connector: Awaited<ReturnType<typeof startLocalConnector>>;
  let sandbox: Sandbox;
  let app: RunningApp;
  const lines: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    const dataDir = tempDataDir();
    [keyServer, tokens, connector, sandbox] = await Promise.all([
      startKeyServer(keys.publicKey, 'bf-key'), startTokenService(`api://botid-${APP_ID}`), startLocalConnector(), startSandbox({ port: 0, dataDir }),
    ]);
    // App Service's managed identity endpoint: the bot's own token for the Bot Connector and the Power Platform.
    Object.assign(process.env, { IDENTITY_ENDPOINT: tokens.msiEndpoint, IDENTITY_HEADER: 'test-identity-header' });
    const config = loadConfig({
      PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: HOME,
      INTEGRATOR_BASE_URL: sandbox.baseUrls.integrator, BAP_BASE_URL: sandbox.baseUrls.bap, POWERAPPS_BASE_URL: sandbox.baseUrls.powerapps,
      BOT_OPENID_METADATA_URL: keyServer.url, BOT_OAUTH_URL: tokens.url,
    }, 'test');
    app = await startApp(config, createLogger('info', { write: (line: string) => { lines.push(line); } }));
  }, 60_000);
  afterEach(() => { connector.connector.calls.splice(0); });
  afterAll(async () => {
    await app.close();
    process.env = saved;
    await Promise.all([keyServer.close(), tokens.close(), connector.close(), sandbox.close()]);
  });

  async function post(activity: object): Promise<{ status: number; body: string }> {
    const token = jwt({ alg: 'RS256', kid: 'bf-key' }, { iss: 'https://api.botframework.com', aud: APP_ID, exp: now() + 3600, nbf: now() - 60, serviceurl: connector.serviceUrl }, keys.privateKey);
    const res = await fetch(`${app.url.replace('0.0.0.0', '127.0.0.1')}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  }

  const shown = () => JSON.stringify(connector.connector.messages().map((c) => c.activity));

  test('from the bot\'s own tenant, "watch dataflows" lists its environments (any case of the tenant id)', async () => {
    expect((await post(inTenant(connector.serviceUrl, 'watch dataflows', HOME.toUpperCase()))).status).toBe(200);
    expect(shown()).toContain(SANDBOX_ENVIRONMENTS.sales.displayName);
  });

  test('from another tenant: 403, nothing is read or sent, and the refusal is logged with the tenant', async () => {
    const res = await post(inTenant(connector.serviceUrl, 'watch dataflows', OTHER));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toMatch(/^Forbidden/);
    expect(connector.connector.calls).toHaveLength(0);
    expect(shown()).not.toContain(SANDBOX_ENVIRONMENTS.sales.displayName);
    const refused = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'activity refused');
    expect(refused.at(-1)).toMatchObject({ status: 403, tenantIds: [OTHER, OTHER] });
  });

  test('an activity that names no tenant is refused the same way', async () => {
    expect((await post(inTenant(connector.serviceUrl, 'watch dataflows', undefined))).status).toBe(403);
    expect(connector.connector.calls).toHaveLength(0);
  });

  test('the tenant of the conversation and of the channel data must agree', async () => {
    const mixed = { ...inTenant(connector.serviceUrl, 'watch dataflows', HOME), channelData: { tenant: { id: OTHER } } };
    expect((await post(mixed)).status).toBe(403);
    expect(connector.connector.calls).toHaveLength(0);
  });
});
