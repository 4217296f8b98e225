import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { installSigningKeys, ResilientSigningKeys, SigningKeysUnavailable } from '../../src/teams/signingKeys';
import { startKeyServer } from './keyServer';
import { jwt, rsaKeys } from './securityRig';

const KID = 'bf-key-1';
const keys = rsaKeys();
const keyServer = () => startKeyServer(keys.publicKey, KID);
/** A fetch deadline these tests do not exercise (their key server answers at once, or 503s): a loaded machine took over 500 ms for a first fetch. */
const UNHURRIED_MS = 10_000;

describe('the Bot Framework signing keys', () => {
  let server: Awaited<ReturnType<typeof keyServer>>;
  beforeEach(async () => { server = await keyServer(); });
  afterEach(async () => { await server.close(); });

  test('a burst of lookups fetches the keys once; an outage after the refresh interval keeps the cached keys', async () => {
    let clock = 1_000_000;
    const cache = new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: UNHURRIED_MS, now: () => clock });
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
    const cache = new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: 2000 });
    await expect(cache.getKey(KID)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    const hits = server.state.hits;
    const started = Date.now();
    await expect(cache.getKey(KID)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.state.hits).toBe(hits); // not fetched again during the back-off
  });

  test("the SDK's token validation uses the installed keys: a token signed with them passes, a forged one does not", async () => {
    const sdkUrl = 'https://login.test.invalid/v1/.well-known/openidconfiguration';
    installSigningKeys(new ResilientSigningKeys({ metadataUrl: server.url, timeoutMs: UNHURRIED_MS }), sdkUrl);
    const extractor = new JwtTokenExtractor({ issuer: ['https://api.botframework.com'], audience: 'app-id', clockTolerance: 300 }, sdkUrl, ['RS256']);
    const claims = { iss: 'https://api.botframework.com', aud: 'app-id', exp: Math.floor(Date.now() / 1000) + 600 };
    const genuine = await extractor.getIdentityFromAuthHeader(`Bearer ${jwt({ alg: 'RS256', kid: KID }, claims, keys.privateKey)}`, 'msteams');
    expect(genuine?.isAuthenticated).toBe(true);
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK prints the keys it tried
    await expect(extractor.getIdentityFromAuthHeader(`Bearer ${jwt({ alg: 'RS256', kid: KID }, claims, rsaKeys().privateKey)}`, 'msteams')).rejects.toThrow(/invalid signature/);
  });
});
