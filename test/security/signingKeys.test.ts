import http from 'node:http';
import { AddressInfo } from 'node:net';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { installSigningKeys, ResilientSigningKeys, SigningKeysUnavailable } from '../../src/http/signingKeys';
import { jwt, rsaKeys } from './securityRig';

const KID = 'bf-key-1';
const keys = rsaKeys();

/** OpenID metadata and a JWKS with one key, on loopback; `up` switches it off and on. */
async function keyServer() {
  const state = { up: true, hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    if (!state.up) { res.statusCode = 503; res.end(); return; }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = req.url === '/jwks'
      ? { keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, endorsements: ['msteams'] }] }
      : { jwks_uri: `${base}/jwks` };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the Bot Framework signing keys', () => {
  let server: Awaited<ReturnType<typeof keyServer>>;
  beforeEach(async () => { server = await keyServer(); });
  afterEach(async () => { await server.close(); });

  test('a burst of lookups fetches the keys once; an outage after the refresh interval keeps the cached keys', async () => {
    let clock = 1_000_000;
    const cache = new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: 500, now: () => clock });
    const found = await Promise.all(Array.from({ length: 50 }, () => cache.getKey(KID)));
    expect(found.every((k) => k?.key.includes('BEGIN PUBLIC KEY'))).toBe(true);
    expect(server.state.hits).toBe(2); // metadata + JWKS, once
    server.state.up = false;
    clock += 25 * 3_600_000; // past the SDK's 24 h refresh
    expect((await cache.getKey(KID))?.endorsements).toEqual(['msteams']);
    expect(await cache.getKey('unknown-kid')).toBeNull(); // a 401, not an outage
  });

  test('with no key ever fetched, an outage fails fast with SigningKeysUnavailable', async () => {
    server.state.up = false;
    const cache = new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: 500 });
    await expect(cache.getKey(KID)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    const started = Date.now();
    await expect(cache.getKey(KID)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    expect(Date.now() - started).toBeLessThan(50);
  });

  test("the SDK's token validation uses the installed keys: a token signed with them passes, a forged one does not", async () => {
    const sdkUrl = 'https://login.test.invalid/v1/.well-known/openidconfiguration';
    installSigningKeys(new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: 500 }), sdkUrl);
    const extractor = new JwtTokenExtractor({ issuer: ['https://api.botframework.com'], audience: 'app-id', clockTolerance: 300 }, sdkUrl, ['RS256']);
    const claims = { iss: 'https://api.botframework.com', aud: 'app-id', exp: Math.floor(Date.now() / 1000) + 600 };
    const genuine = await extractor.getIdentityFromAuthHeader(`Bearer ${jwt({ alg: 'RS256', kid: KID }, claims, keys.privateKey)}`, 'msteams');
    expect(genuine?.isAuthenticated).toBe(true);
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK prints the keys it tried
    await expect(extractor.getIdentityFromAuthHeader(`Bearer ${jwt({ alg: 'RS256', kid: KID }, claims, rsaKeys().privateKey)}`, 'msteams')).rejects.toThrow(/invalid signature/);
  });
});
