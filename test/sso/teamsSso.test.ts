import { randomUUID } from 'node:crypto';
import { startApp, RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { ADA, base, message } from '../helpers/activities';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';
import { tempDataDir } from '../helpers/harness';
import { startKeyServer } from '../security/keyServer';
import { jwt, rsaKeys } from '../security/securityRig';
import { startTokenService } from './tokenService';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const RESOURCE = `api://botid-${APP_ID}`;
const now = () => Math.floor(Date.now() / 1000);

/** What Teams sends when it got a token for the card's tokenExchangeResource silently. */
function tokenExchange(serviceUrl: string, id: string) {
  return { ...base(serviceUrl, 'personal', ADA), type: 'invoke', name: 'signin/tokenExchange', value: { id, connectionName: 'DataIntegration', token: `teams-sso-token-${randomUUID()}` } };
}

describe.each([['sqlite', sqliteBackend], ['azure', azureBackend]] as const)('Teams SSO on %s state, with a local token service', (_name, makeBackend) => {
  const backend: StateBackend = makeBackend();
  const keys = rsaKeys();
  let keyServer: Awaited<ReturnType<typeof startKeyServer>>;
  let tokens: Awaited<ReturnType<typeof startTokenService>>;
  let connector: Awaited<ReturnType<typeof startLocalConnector>>;
  const apps: RunningApp[] = [];
  const saved = { ...process.env };

  /** One bot instance as App Service runs it (a managed-identity bot), on the shared state of `env`. */
  async function instance(env: Record<string, string>): Promise<RunningApp> {
    const config = loadConfig({
      PORT: '0', DATA_DIR: env.DATA_DIR ?? tempDataDir(), LOG_LEVEL: 'silent', MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT,
      INTEGRATOR_BASE_URL: 'https://integrator.invalid/', BOT_OPENID_METADATA_URL: keyServer.url, BOT_OAUTH_URL: tokens.url, ...env,
    }, 'test');
    const app = await startApp(config, createLogger(process.env.SSO_DEBUG ? 'debug' : 'silent'));
    apps.push(app);
    return app;
  }

  async function post(app: RunningApp, activity: object): Promise<{ status: number; body: string }> {
    const token = jwt({ alg: 'RS256', kid: 'bf-key' }, { iss: 'https://api.botframework.com', aud: APP_ID, exp: now() + 3600, nbf: now() - 60, serviceurl: connector.serviceUrl }, keys.privateKey);
    const res = await fetch(`${app.url.replace('0.0.0.0', '127.0.0.1')}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  }

  const texts = () => connector.connector.messages().map((c) => c.activity.text ?? '');
  const oauthCards = () => connector.connector.messages().flatMap((c) => c.activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.oauth');

  beforeAll(async () => {
    keyServer = await startKeyServer(keys.publicKey, 'bf-key');
    tokens = await startTokenService(RESOURCE);
    connector = await startLocalConnector();
    // App Service's managed identity endpoint, as the platform announces it to the app.
    Object.assign(process.env, { IDENTITY_ENDPOINT: tokens.msiEndpoint, IDENTITY_HEADER: 'test-identity-header' });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    connector.connector.calls.splice(0);
    tokens.state.exchange = 'ok';
    tokens.state.tokens.clear(); // each test starts signed out
  });
  afterAll(async () => {
    process.env = saved;
    await backend.stop();
    await Promise.all([keyServer.close(), tokens.close(), connector.close()]);
  });

  test('"sign in" sends the card with the token exchange resource; the exchange Teams sends signs the person in without a click', async () => {
    const bot = await instance(await backend.env());
    expect((await post(bot, message(connector.serviceUrl, 'sign in', 'personal'))).status).toBe(200);
    expect(oauthCards()).toHaveLength(1);
    expect(oauthCards()[0].content).toMatchObject({ connectionName: 'DataIntegration', tokenExchangeResource: { uri: RESOURCE } });
    const answer = await post(bot, tokenExchange(connector.serviceUrl, 'exchange-1'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: 'exchange-1', connectionName: 'DataIntegration' });
    expect(texts().filter((t) => t.startsWith('You are signed in'))).toHaveLength(1);
    expect(tokens.state.tokens.get(`${ADA.id}|DataIntegration`)).toBe(`user-token-of-${ADA.id}`);
    expect(tokens.state.unauthorized).toBe(0);
  });

  test('a failed exchange is answered 412, so Teams shows the sign-in card instead, and nobody is signed in', async () => {
    const bot = await instance(await backend.env());
    await post(bot, message(connector.serviceUrl, 'sign in', 'personal'));
    tokens.state.exchange = 'fail';
    const answer = await post(bot, tokenExchange(connector.serviceUrl, 'exchange-2'));
    expect(answer.status).toBe(412);
    expect(JSON.parse(answer.body)).toMatchObject({ id: 'exchange-2', failureDetail: expect.stringMatching(/unable to exchange token/) });
    expect(oauthCards()).toHaveLength(1); // the card Teams falls back to, with its sign-in button
    expect(texts().some((t) => t.startsWith('You are signed in'))).toBe(false);
    expect(tokens.state.tokens.size).toBe(0);
  });

  test('the same exchange from two clients reaching two instances signs in once; the duplicate gets an empty 200', async () => {
    const env = await backend.env();
    const shared = { ...env, DATA_DIR: env.DATA_DIR ?? tempDataDir() };
    const [first, second] = [await instance(shared), await instance(shared)];
    await post(first, message(connector.serviceUrl, 'sign in', 'personal'));
    // Two guards meet here: the SSO middleware's exchange claim, and the person's turn lock (a person's turns run one at
    // a time across instances), so this passes with either; test/sso/exchangeClaims.test.ts checks the claim alone.
    const answers = await Promise.all([first, second].map((bot) => post(bot, tokenExchange(connector.serviceUrl, 'exchange-3'))));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.filter((a) => a.body && JSON.parse(a.body)?.id === 'exchange-3')).toHaveLength(1);
    expect(texts().filter((t) => t.startsWith('You are signed in'))).toHaveLength(1);
  });
});
