import http from 'node:http';
import { AddressInfo } from 'node:net';
import { message } from '../helpers/activities';
import { startKeyServer } from './keyServer';
import { jwt, rsaKeys, SecurityRig, startSecurityRig } from './securityRig';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const PASSWORD = 'not-a-real-secret-but-never-logged';
const DEADLINE_MS = 1000;
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ iss: 'https://api.botframework.com', aud: APP_ID, exp: now() + 3600, nbf: now() - 60, ...extra });

/** A stand-in for login.botframework.com on loopback: it counts requests and answers as told. */
async function metadataServer(behaviour: 'hang' | 'fail') {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    if (behaviour === 'fail') {
      res.statusCode = 500;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const teamsEnv = (metadataUrl: string) => ({
  MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT,
  INTEGRATOR_BASE_URL: 'https://integrator.invalid/', BOT_OPENID_METADATA_URL: metadataUrl, BOT_TIMEOUT_MS: String(DEADLINE_MS),
});

describe('Teams mode: forged Bot Framework tokens', () => {
  let rig: SecurityRig;
  let metadata: Awaited<ReturnType<typeof metadataServer>>;
  const forger = rsaKeys();
  beforeAll(async () => {
    metadata = await metadataServer('hang');
    rig = await startSecurityRig(teamsEnv(metadata.url));
  });
  afterAll(async () => {
    await rig.close();
    await metadata.close();
  });

  const forged: Array<[string, string]> = [
    ['HS256 with a random key', jwt({ alg: 'HS256', kid: 'k1' }, claims(), 'a-random-hmac-key')],
    ['HS256 keyed with the app password', jwt({ alg: 'HS256', kid: 'k1' }, claims(), PASSWORD)],
    ['alg=none', jwt({ alg: 'none', kid: 'k1' }, claims(), 'none')],
    ['RS256 with the emulator issuer', jwt({ alg: 'RS256', kid: 'k1' }, claims({ iss: `https://sts.windows.net/${TENANT}/` }), forger.privateKey)],
    ['RS256, expired', jwt({ alg: 'RS256', kid: 'k1' }, claims({ exp: now() - 3600 }), forger.privateKey)],
    ['RS256 for another app', jwt({ alg: 'RS256', kid: 'k1' }, claims({ aud: 'another-app' }), forger.privateKey)],
    ['RS256 without a key id', jwt({ alg: 'RS256' }, claims(), forger.privateKey)],
    ['not a JWT', 'opaque-token'],
  ];

  test.each(forged)('%s: 401 before any signing key is fetched, nothing sent', async (_name, token) => {
    const res = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error).toMatch(/^Unauthorized/);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect(metadata.hits()).toBe(0);
    expect(rig.connector.calls).toHaveLength(0);
  });

  test('Basic credentials are refused the same way', async () => {
    const res = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Basic ${Buffer.from(`${APP_ID}:${PASSWORD}`).toString('base64')}` });
    expect(res.status).toBe(401);
    expect(metadata.hits()).toBe(0);
  });

  test('a plausible RS256 token while the key endpoint hangs: 503 with Retry-After within the deadline, and the next at once', async () => {
    const token = jwt({ alg: 'RS256', kid: 'k1' }, claims(), forger.privateKey);
    const first = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Bearer ${token}` });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('30');
    expect(first.ms).toBeLessThan(DEADLINE_MS + 2000);
    const second = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Bearer ${token}` });
    expect(second.status).toBe(503);
    expect(second.ms).toBeLessThan(DEADLINE_MS);
    expect(metadata.hits()).toBe(1); // a failed fetch is not repeated for every request
    expect(rig.connector.calls).toHaveLength(0);
  });

  test('no token, password or secret reaches the log', () => {
    const logs = rig.logs();
    expect(logs).toContain('signing algorithm HS256 is not accepted');
    expect(logs).toContain('signing keys unavailable');
    expect(logs).not.toContain(PASSWORD);
    for (const [, token] of forged) expect(logs).not.toContain(token.split('.')[2] || token);
  });
});

describe('Teams mode: the key endpoint fails', () => {
  test('503 with Retry-After, never 500', async () => {
    const metadata = await metadataServer('fail');
    const rig = await startSecurityRig(teamsEnv(metadata.url));
    try {
      const token = jwt({ alg: 'RS256', kid: 'k1' }, claims(), rsaKeys().privateKey);
      const res = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Bearer ${token}` });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(rig.connector.calls).toHaveLength(0);
    } finally {
      await rig.close();
      await metadata.close();
    }
  });
});

describe('Teams mode: the keys are served', () => {
  test('a token signed with another key, or naming an unknown key, is 401 and nothing is sent', async () => {
    const bf = rsaKeys();
    const keys = await startKeyServer(bf.publicKey, 'bf-key');
    const rig = await startSecurityRig(teamsEnv(keys.url));
    try {
      for (const kid of ['bf-key', 'unknown-key']) {
        const token = jwt({ alg: 'RS256', kid }, claims({ serviceurl: rig.serviceUrl }), rsaKeys().privateKey);
        jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK prints the keys it tried
        const res = await rig.post(message(rig.serviceUrl, 'status'), { authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
      }
      expect(rig.connector.calls).toHaveLength(0);
    } finally {
      await rig.close();
      await keys.close();
    }
  });
});
