import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Release } from '../../scripts/release/buildRelease';
import { ensureRelease } from '../../scripts/release/releaseCache';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { DATAFLOW_ENVIRONMENT, SANDBOX_DATAFLOWS, SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';
import { ADA, base, BOB, message } from '../helpers/activities';
import { startAppServiceIdentity } from '../helpers/appServiceIdentity';
import { Azurite, freshPrefix, launchAzurite } from '../helpers/azurite';
import { ensureBuilt, ROOT } from '../helpers/build';
import { cardText } from '../helpers/cardWalk';
import { listeningPort, NodeProcess, startNode } from '../helpers/processes';
import { startRecordingProxy } from '../helpers/recordingProxy';
import { SelfSigned, selfSigned } from '../helpers/selfSigned';
import { clickActivity, isUpdateBeyondSetup, newestCard, walkToReview } from '../helpers/setupWalk';
import { startTelemetryReceiver, TelemetryReceiver } from '../helpers/telemetryReceiver';
import { until } from '../helpers/tryOut';
import { startKeyServer } from '../security/keyServer';
import { jwt, rsaKeys } from '../security/securityRig';
import { startTokenService } from '../sso/tokenService';
import { ReleaseProcess, removeSite, startRelease, teamsEnv, unzipped } from './releaseSite';

const STORAGE = 'https://storage.azure.com';
const POWER_PLATFORM = 'https://service.powerapps.com';
const PROJECT = 'As deployed sync';
/** A sandbox minute: a schedule of every minute runs every 2 s. */
const MINUTE_MS = 2000;
const now = () => Math.floor(Date.now() / 1000);

/**
 * The release as the template deploys it, in Teams mode, with every Microsoft endpoint a loopback stand-in:
 * App Service's managed identity endpoint (the bot's tokens for storage, the Power Platform and the Bot
 * Connector), an Azurite that speaks HTTPS and checks every bearer token's issuer, audience and lifetime (not
 * its signature: Entra ID is out of reach here), Bot Framework's signing keys and token service (the person's
 * sign-in), the Bot Connector, Application Insights' ingestion, and the sandbox behind a proxy that records which
 * token reached which service.
 */
describe('the release as deployed: managed identity, Teams mode, stand-ins for every Microsoft endpoint', () => {
  let release: Release;
  let tls: SelfSigned;
  let azurite: Azurite;
  let identity: Awaited<ReturnType<typeof startAppServiceIdentity>>;
  let keyServer: Awaited<ReturnType<typeof startKeyServer>>;
  let connector: Awaited<ReturnType<typeof startLocalConnector>>;
  let tokenService: Awaited<ReturnType<typeof startTokenService>>;
  let sandbox: NodeProcess;
  let sandboxUrl: string;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let insights: TelemetryReceiver;
  /** The certificates the bot trusts (NODE_EXTRA_CA_CERTS takes one file): Azurite's and the ingestion endpoint's. */
  let trusted: string;
  const keys = rsaKeys();
  const sites: string[] = [];
  const bots: ReleaseProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    tls = selfSigned();
    sandbox = startNode('dev/sandbox/main.js', { SANDBOX_PORT: '0', LOG_LEVEL: 'silent', SANDBOX_MINUTE_MS: String(MINUTE_MS), SANDBOX_DATAFLOW_EVERY_SECONDS: '2' });
    [release, azurite, identity, keyServer, connector, insights] = await Promise.all([
      ensureRelease(ROOT), launchAzurite({ tls, oauth: true }), startAppServiceIdentity(), startKeyServer(keys.publicKey, 'bf-key'), startLocalConnector(),
      startTelemetryReceiver({ tls: true }),
    ]);
    trusted = path.join(path.dirname(tls.caFile), 'trusted.pem');
    fs.writeFileSync(trusted, [tls.caFile, insights.caFile!].map((f) => fs.readFileSync(f, 'utf8')).join('\n'));
    // The Bot Framework token service takes the bot's own token, from its identity, on every call.
    tokenService = await startTokenService(`api://botid-${teamsEnv(azurite).MicrosoftAppId}`, (authorization) => identity.issued().some((t) => authorization === `Bearer ${t}`));
    sandboxUrl = (await sandbox.waitForOutput(/INTEGRATOR_BASE_URL=(http:\/\/[^/\s]+)/, 60_000))[1];
    proxy = await startRecordingProxy(sandboxUrl);
  }, 300_000);
  afterEach(() => {
    bots.splice(0).forEach((bot) => bot.child.kill('SIGKILL'));
    identity.state.mode = 'ok';
    proxy.faults.refuse = undefined;
  });
  afterAll(async () => {
    sites.forEach(removeSite);
    await Promise.all([azurite?.stop(), identity?.close(), keyServer?.close(), connector?.close(), tokenService?.close(), proxy?.close(), insights?.close(), sandbox?.kill()]);
    if (tls) fs.rmSync(path.dirname(tls.caFile), { recursive: true, force: true });
  });

  /** The app settings of infra/azuredeploy.json, with the stand-ins' addresses: no connection string, no key, no secret. */
  function start(prefix: string): ReleaseProcess {
    const { AZURE_STORAGE_CONNECTION_STRING: _keyBased, ...settings } = teamsEnv(azurite);
    const site = unzipped(release.zipPath);
    sites.push(site);
    const bot = startRelease(site, {
      ...settings, AZURE_STATE_PREFIX: prefix, AZURE_STORAGE_ACCOUNT_URL: azurite.blobUrl, AZURE_STORAGE_TABLE_URL: azurite.tableUrl,
      ...identity.env, NODE_EXTRA_CA_CERTS: trusted, BOT_OPENID_METADATA_URL: keyServer.url, BOT_OAUTH_URL: tokenService.url,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${insights.url}/;LiveEndpoint=${insights.url}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      INTEGRATOR_BASE_URL: `${proxy.url}/integrator`, BAP_BASE_URL: `${proxy.url}/bap`, POWERAPPS_BASE_URL: `${proxy.url}/powerapps`, RUN_POLL_SECONDS: '1',
      SCHEDULE_APPROVERS: BOB.aadObjectId,
    }, { nodeFlags: ['--require', path.join(ROOT, 'test', 'helpers', 'loopbackOnly.js')] });
    bots.push(bot);
    return bot;
  }

  async function portOf(bot: ReleaseProcess): Promise<number> {
    let port: number | undefined;
    await until('the bot says where it listens', () => (port = listeningPort(bot.stdout())) !== undefined, 60_000)
      .catch((err: Error) => { throw new Error(`${err.message}\n${bot.stdout()}\n${bot.stderr()}`); });
    return port!;
  }

  /** An activity as the Bot Connector posts it, signed with the key the key server publishes. */
  async function post(port: number, activity: object): Promise<number> {
    const token = jwt({ alg: 'RS256', kid: 'bf-key' }, { iss: 'https://api.botframework.com', aud: teamsEnv(azurite).MicrosoftAppId, exp: now() + 3600, nbf: now() - 60, serviceurl: connector.serviceUrl }, keys.privateKey);
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    return res.status;
  }

  /** The entities of one of Azurite's tables, read over HTTPS with a bearer token as the bot reads them. */
  function entities(table: string): Promise<Array<Record<string, unknown>>> {
    return new Promise((resolve, reject) => {
      const req = https.get(`${azurite.tableUrl}/${table}()`, {
        ca: tls.cert,
        headers: { authorization: `Bearer ${identity.token(STORAGE)}`, 'x-ms-version': '2019-02-02', accept: 'application/json;odata=nometadata' },
      }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; }).on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { value: Array<Record<string, unknown>> }).value) : reject(new Error(`${res.statusCode}: ${body}`))));
      });
      req.on('error', reject);
    });
  }

  /** The sandbox straight (not through the proxy, which records the bot's calls only), for the test's own calls. */
  const sandboxClient = () => createDataIntegration({ baseUrls: { bap: `${sandboxUrl}/bap`, powerapps: `${sandboxUrl}/powerapps`, integrator: `${sandboxUrl}/integrator` }, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
  /** Ada signs in as Teams SSO does it: "sign in" sends the OAuth card, and Teams exchanges its own token of hers. Her Data Integrator token. */
  async function signIn(postOk: (activity: object) => Promise<void>): Promise<string> {
    const before = connector.connector.messages().length;
    await postOk(message(connector.serviceUrl, 'sign in', 'personal', ADA));
    await postOk({ ...base(connector.serviceUrl, 'personal', ADA), type: 'invoke', name: 'signin/tokenExchange', value: { id: `exchange-${randomBytes(4).toString('hex')}`, connectionName: 'DataIntegration', token: `teams-sso-token-${randomBytes(16).toString('hex')}` } });
    expect(connector.connector.messages().slice(before).some((c) => c.activity.text?.startsWith('You are signed in'))).toBe(true);
    const token = tokenService.state.tokens.get(`${ADA.id}|DataIntegration`);
    expect(token).toBeDefined();
    return token!;
  }

  const storageAsks = () => identity.state.requests.filter((r) => r.resource === STORAGE);

  test('a person signs in (Teams SSO), sets up a sync, runs it, has it scheduled by an approver, its runs are alerted, and watches a dataflow: each service gets the right token, none is logged', async () => {
    const prefix = freshPrefix();
    const bot = start(prefix);
    const port = await portOf(bot);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toMatchObject({ status: 200, body: { ready: true, store: { backend: 'azure', answers: true } } });
    // The start opens six clients at the same moment (four tables, two containers): they share one request for the token.
    const atStart = storageAsks().length;
    expect(atStart).toBe(1);

    const postOk = async (_step: number, activity: object) => expect(await post(port, activity)).toBe(200);
    const by = (prefixPath: string) => proxy.requests.filter((r) => r.path.startsWith(prefixPath));
    await postOk(0, message(connector.serviceUrl, 'help', 'personal', BOB)); // Bob's personal chat becomes known
    const adaToken = await signIn((activity) => postOk(0, activity));
    const review = await walkToReview(connector.serviceUrl, connector.connector, postOk, PROJECT);
    await postOk(0, clickActivity(connector.serviceUrl, review, 'Create'));
    const step5 = newestCard({ connector: connector.connector });
    expect(cardText(step5)).toContain('Step 5 of 5');
    await postOk(0, clickActivity(connector.serviceUrl, step5, 'Run now'));
    const result = await connector.connector.waitFor(isUpdateBeyondSetup, 60_000);
    expect(cardText(result.activity.attachments![0].content)).toMatch(new RegExp(`${PROJECT} (succeeded|finished with errors)`));
    const thread = result.conversationId;

    // Ada asks for a schedule; Bob, the approver, approves it from the card in his chat (an Action.Execute invoke).
    await postOk(0, message(connector.serviceUrl, `schedule ${PROJECT} every 1 minute`, 'personal', ADA));
    const toBob = await connector.connector.waitFor((c) => c.conversationId.startsWith(`a:personal-${BOB.id}`) && cardText(c.activity.attachments?.[0]?.content).includes('Schedule approval needed'), 30_000);
    const { requestId } = (toBob.activity.attachments![0].content as { refresh: { action: { data: { requestId: string } } } }).refresh.action.data;
    await postOk(0, { ...base(connector.serviceUrl, 'personal', BOB), type: 'invoke', name: 'adaptiveCard/action', replyToId: toBob.activityId, value: { action: { type: 'Action.Execute', verb: VERBS.approveSchedule, data: { requestId } }, trigger: 'manual' } });
    const scheduleSets = () => proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`${encodeURIComponent(PROJECT)}/Schedule`));
    await until('the schedule to be set', () => scheduleSets().length > 0, 30_000);
    // A scheduled run's alert, posted in the project's thread by the lease holder (proactively: the identity's connector token).
    const runAlert = new RegExp(`${PROJECT} (succeeded|finished with errors|failed)|runs of ${PROJECT} finished`);
    const alert = await connector.connector.waitFor((c) => c.conversationId === thread && c.kind !== 'update' && runAlert.test(cardText(c.activity.attachments?.[0]?.content)), 60_000);
    expect(alert.activity.attachments).toHaveLength(1);
    await sandboxClient().pauseSchedule(PROJECT);

    // Ada watches a dataflow here: its refreshes, read from Dataverse with the bot's identity, are alerted in its thread.
    const [accounts] = SANDBOX_DATAFLOWS;
    const asked = connector.connector.messages().length;
    await postOk(0, message(connector.serviceUrl, 'watch dataflows', 'channel', ADA));
    // The answer to the command (a scheduled run's alert may come in between: the schedule's last runs are still ending).
    expect(connector.connector.messages().slice(asked).some((c) => cardText(c.activity.attachments?.[0]?.content).includes('Which environment'))).toBe(true);
    await postOk(0, { ...base(connector.serviceUrl, 'channel', ADA), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: VERBS.dataflowWatch, data: { environment: DATAFLOW_ENVIRONMENT.name, dataflows: accounts!.id, level: 'all' } }, trigger: 'manual' } });
    await connector.connector.waitFor((c) => new RegExp(`${accounts!.name} refreshed`).test(cardText(c.activity.attachments?.[0]?.content)), 60_000);
    expect(by('/dataverse/').some((r) => r.path.includes('msdyn_dataflowrefreshhistories'))).toBe(true);

    // The Data Integrator got Ada's own token, from her sign-in, and nothing else; the admin APIs got the app's token
    // for the Power Platform, from the identity, and never hers.
    expect(by('/integrator/').length).toBeGreaterThan(3);
    expect(new Set(by('/integrator/').map((r) => r.authorization))).toEqual(new Set([`Bearer ${adaToken}`]));
    expect(scheduleSets().length).toBeGreaterThan(0); // set with Ada's token: the approver's click acts for her, who asked
    const appTokens = new Set(identity.issued(POWER_PLATFORM).map((t) => `Bearer ${t}`));
    expect(appTokens.size).toBeGreaterThan(0);
    expect(by('/bap/').length).toBeGreaterThan(0);
    expect(by('/powerapps/').length).toBeGreaterThan(0);
    for (const admin of [...by('/bap/'), ...by('/powerapps/')]) expect(appTokens.has(admin.authorization ?? '')).toBe(true);
    // Dataverse (WhoAmI, the run's rejected records named, the dataflow tables) got the app's token for the instance of
    // the environment the call went to (its path names it), and no other.
    expect(by('/dataverse/').length).toBeGreaterThan(0);
    for (const call of by('/dataverse/')) {
      const environment = Object.values(SANDBOX_ENVIRONMENTS).find((e) => call.path.startsWith(`/dataverse/${encodeURIComponent(e.name)}/`));
      const instance = environment && 'dataverse' in environment ? new URL(environment.dataverse.instanceUrl).origin : undefined;
      expect(instance).toBeDefined();
      expect(identity.issued(instance!).map((t) => `Bearer ${t}`)).toContain(call.authorization);
    }
    // The Bot Framework token service (Ada's stored token, also for the run's watch) took the bot's identity token every time.
    expect(tokenService.state.unauthorized).toBe(0);
    // Every token the identity gave was asked as App Service wants it: the platform's header, the deployed identity.
    expect(identity.state.requests.every((r) => r.headerOk && r.clientId === teamsEnv(azurite).AZURE_CLIENT_ID && r.apiVersion === '2019-08-01')).toBe(true);
    // The turns, the run and its watch read and wrote storage with the tokens of the start: none was asked for again.
    expect(storageAsks()).toHaveLength(atStart);
    // The conversation's reference (for alerts) is in the refs table, written under the identity's token.
    const refs = await entities(`${prefix}refs`);
    expect(refs.some((e) => String(e.body).includes(result.conversationId))).toBe(true);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const output = bot.stdout() + bot.stderr();
    expect(output).toContain('telemetry exported to Application Insights');
    expect(output).not.toContain('OFF-LOOPBACK');
    // Every line is a JSON log line, the Azure SDKs' own log included (the distro would print it raw, several lines a turn).
    expect(output.split('\n').filter((line) => line.trim() && !line.startsWith('{'))).toEqual([]);
    // Neither the log nor the telemetry flushed at the stop (the walk's service calls, state calls, alert and logs)
    // holds a token or the identity endpoint's header.
    const telemetry = JSON.stringify(insights.received);
    expect(telemetry).toContain('dibot.service.call');
    for (const secret of [...identity.issued(), identity.env.IDENTITY_HEADER, adaToken]) {
      expect(output).not.toContain(secret);
      expect(telemetry).not.toContain(secret);
    }
  }, 180_000);

  test('the bot\'s identity not yet registered with the Power Platform: the setup says who can fix it, and does not send the person to sign in', async () => {
    const port = await portOf(start(freshPrefix()));
    const postOk = async (activity: object) => expect(await post(port, activity)).toBe(200);
    await signIn(postOk);
    // What BAP answers a service principal no Power Platform admin has registered as a management application.
    proxy.faults.refuse = (r) => (r.path.startsWith('/bap/') ? { status: 403, body: { error: { code: 'Forbidden', message: 'The service principal is not allowed to call this API.' } } } : undefined);
    const before = connector.connector.messages().length;
    await postOk(message(connector.serviceUrl, 'set up account sync'));
    const shown = cardText(newestCard({ connector: connector.connector }));
    expect(shown).toContain('The Power Platform refused the bot\'s own access');
    expect(shown).toContain('Signing in again will not help: ask a Power Platform admin to register the bot as a management application');
    const oauthCards = connector.connector.messages().slice(before).flatMap((c) => c.activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.oauth');
    expect(oauthCards).toEqual([]);
  }, 120_000);

  test('an identity the Web App does not have stops the start with a message naming AZURE_CLIENT_ID, and nothing secret', async () => {
    identity.state.mode = 'noSuchIdentity';
    const bot = start(freshPrefix());
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/The bot could not start: The managed identity gave no token for Azure Storage \(.*No managed identity found.*\): check that the Web App has the user-assigned identity whose client id AZURE_CLIENT_ID holds/);
    expect(bot.stdout() + bot.stderr()).not.toContain(identity.env.IDENTITY_HEADER);
  }, 120_000);

  test('a token storage refuses (not for storage) stops the start with the role to grant', async () => {
    identity.state.mode = 'wrongAudience';
    const bot = start(freshPrefix());
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/The bot could not start: Azure Storage refused access to (table|container) \S+ \(403\): give the bot's identity the role "Storage (Table|Blob) Data Contributor"/);
    // Right after a deployment the template's role may not have reached storage yet: the message says so.
    expect(bot.stderr()).toContain('can take up to 10 minutes to reach storage');
    const output = bot.stdout() + bot.stderr();
    for (const secret of [...identity.issued(), identity.env.IDENTITY_HEADER]) expect(output).not.toContain(secret);
  }, 120_000);
});
