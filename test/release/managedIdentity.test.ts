import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { Release } from '../../scripts/release/buildRelease';
import { ensureRelease } from '../../scripts/release/releaseCache';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { message } from '../helpers/activities';
import { startAppServiceIdentity } from '../helpers/appServiceIdentity';
import { Azurite, freshPrefix, launchAzurite } from '../helpers/azurite';
import { ROOT } from '../helpers/build';
import { listeningPort } from '../helpers/processes';
import { SelfSigned, selfSigned } from '../helpers/selfSigned';
import { until } from '../helpers/tryOut';
import { startKeyServer } from '../security/keyServer';
import { jwt, rsaKeys } from '../security/securityRig';
import { ReleaseProcess, removeSite, startRelease, teamsEnv, unzipped } from './releaseSite';

const STORAGE = 'https://storage.azure.com';
const now = () => Math.floor(Date.now() / 1000);

/**
 * The release as the template deploys it: state in Azure Storage reached by its endpoints with the Web App's
 * user-assigned managed identity, no key anywhere. Stand-ins on loopback: App Service's identity endpoint, and an
 * Azurite that speaks HTTPS and checks every bearer token's issuer, audience and lifetime (not its signature:
 * Entra ID is out of reach here).
 */
describe('the release reaching its state with a managed identity (Azurite checking bearer tokens over HTTPS)', () => {
  let release: Release;
  let tls: SelfSigned;
  let azurite: Azurite;
  let identity: Awaited<ReturnType<typeof startAppServiceIdentity>>;
  let keyServer: Awaited<ReturnType<typeof startKeyServer>>;
  let connector: Awaited<ReturnType<typeof startLocalConnector>>;
  const keys = rsaKeys();
  const sites: string[] = [];
  const bots: ReleaseProcess[] = [];

  beforeAll(async () => {
    tls = selfSigned();
    [release, azurite, identity, keyServer, connector] = await Promise.all([
      ensureRelease(ROOT), launchAzurite({ tls, oauth: true }), startAppServiceIdentity(), startKeyServer(keys.publicKey, 'bf-key'), startLocalConnector(),
    ]);
  }, 300_000);
  afterEach(() => {
    bots.splice(0).forEach((bot) => bot.child.kill('SIGKILL'));
    identity.state.mode = 'ok';
  });
  afterAll(async () => {
    sites.forEach(removeSite);
    await Promise.all([azurite?.stop(), identity?.close(), keyServer?.close(), connector?.close()]);
    if (tls) fs.rmSync(path.dirname(tls.caFile), { recursive: true, force: true });
  });

  /** The app settings of infra/azuredeploy.json, with the stand-ins' addresses: no connection string, no key. */
  function start(prefix: string): ReleaseProcess {
    const { AZURE_STORAGE_CONNECTION_STRING: _keyBased, ...settings } = teamsEnv(azurite);
    const site = unzipped(release.zipPath);
    sites.push(site);
    const bot = startRelease(site, {
      ...settings, AZURE_STATE_PREFIX: prefix, AZURE_STORAGE_ACCOUNT_URL: azurite.blobUrl, AZURE_STORAGE_TABLE_URL: azurite.tableUrl,
      ...identity.env, NODE_EXTRA_CA_CERTS: tls.caFile, BOT_OPENID_METADATA_URL: keyServer.url,
    });
    bots.push(bot);
    return bot;
  }

  async function portOf(bot: ReleaseProcess): Promise<number> {
    let port: number | undefined;
    await until('the bot says where it listens', () => (port = listeningPort(bot.stdout())) !== undefined, 60_000)
      .catch((err: Error) => { throw new Error(`${err.message}\n${bot.stdout()}\n${bot.stderr()}`); });
    return port!;
  }

  /** A message as the Bot Connector posts it, signed with the key the key server publishes. */
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

  test('it gets its storage tokens from the identity endpoint, starts, is ready, keeps a turn in storage, and logs no token', async () => {
    const prefix = freshPrefix();
    const bot = start(prefix);
    const port = await portOf(bot);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toMatchObject({ status: 200, body: { ready: true, store: { backend: 'azure', answers: true } } });
    // The start asks once per client it opens at the same moment (four tables, two containers); after that the token is reused.
    const storageAsks = () => identity.state.requests.filter((r) => r.resource === STORAGE);
    const atStart = storageAsks().length;
    expect(atStart).toBeGreaterThan(0);
    expect(atStart).toBeLessThanOrEqual(6);

    const hello = message(connector.serviceUrl, 'help', 'personal');
    expect(await post(port, hello)).toBe(200);
    await until('the answer to "help"', () => connector.connector.messages().some((c) => c.conversationId === hello.conversation.id), 30_000);
    // The turn saved the conversation's reference (for alerts) in the refs table, under the identity's token.
    const refs = await entities(`${prefix}refs`);
    expect(refs.some((e) => String(e.body).includes(hello.conversation.id))).toBe(true);

    // The turn's reads and writes (its state, the lock, the reference) asked for no new storage token.
    expect(storageAsks()).toHaveLength(atStart);
    // Each asked as App Service wants it: the platform's header, the deployed identity, the protocol of 2019-08-01.
    expect(storageAsks().every((r) => r.headerOk && r.clientId === teamsEnv(azurite).AZURE_CLIENT_ID && r.apiVersion === '2019-08-01')).toBe(true);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const output = bot.stdout() + bot.stderr();
    for (const secret of [...identity.state.issued, identity.env.IDENTITY_HEADER]) expect(output).not.toContain(secret);
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
    for (const secret of [...identity.state.issued, identity.env.IDENTITY_HEADER]) expect(output).not.toContain(secret);
  }, 120_000);
});
