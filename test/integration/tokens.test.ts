import type { AccessToken, TokenCredential } from '@azure/identity';
import { appTokenProvider, CachedTokenProvider, credentialTokenProvider, REFRESH_MARGIN_MS, scopedTokenProvider, staticTokenProvider, userTokenProvider } from '../../src/integration';

const SCOPE = 'https://service.powerapps.com/.default';
const INTEGRATOR = 'https://IntegratorApp.com/.default';

/** A credential that issues numbered tokens valid for an hour of the test's clock. */
function fakeCredential(clock: { now: number }) {
  const issued: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scopes): Promise<AccessToken> => {
      const token = `${String(scopes)}#${issued.length + 1}`;
      issued.push(token);
      return { token, expiresOnTimestamp: clock.now + 60 * 60_000 };
    },
  };
  return { credential, issued };
}

describe('token providers', () => {
  it('caches a token until five minutes before it expires', async () => {
    const clock = { now: 1_000_000 };
    const { credential, issued } = fakeCredential(clock);
    const tokens = credentialTokenProvider(credential, () => clock.now);
    const first = await tokens.getToken(SCOPE);
    clock.now += 60 * 60_000 - REFRESH_MARGIN_MS - 1;
    expect(await tokens.getToken(SCOPE)).toBe(first);
    clock.now += 2;
    expect(await tokens.getToken(SCOPE)).not.toBe(first);
    expect(issued).toHaveLength(2);
  });

  it('keeps one token per scope, refreshes on demand and shares a request in flight', async () => {
    const clock = { now: 0 };
    const { credential, issued } = fakeCredential(clock);
    const tokens = credentialTokenProvider(credential, () => clock.now);
    const [a, b] = await Promise.all([tokens.getToken(SCOPE), tokens.getToken(SCOPE)]);
    expect(a).toBe(b);
    expect(await tokens.getToken(INTEGRATOR)).not.toBe(a);
    expect(await tokens.getToken(SCOPE, { forceRefresh: true })).not.toBe(a);
    expect(issued).toHaveLength(3);
  });

  it('uses the bot user token for its scope only, and says when the user has not signed in', async () => {
    const asked: boolean[] = [];
    const user = userTokenProvider(INTEGRATOR, async ({ forceRefresh }) => {
      asked.push(forceRefresh);
      return asked.length > 2 ? undefined : { token: `user-${asked.length}`, expiresOn: new Date(Date.now() + 3_600_000).toISOString() };
    });
    expect(await user.getToken(INTEGRATOR)).toBe('user-1');
    expect(await user.getToken(INTEGRATOR)).toBe('user-1');
    expect(await user.getToken(INTEGRATOR, { forceRefresh: true })).toBe('user-2');
    expect(asked).toEqual([false, true]);
    await expect(user.getToken(SCOPE)).rejects.toThrow(/not https:\/\/service/);
    await expect(user.getToken(INTEGRATOR, { forceRefresh: true })).rejects.toThrow(/not signed in/);
  });

  it('routes scopes to providers: the user for the Data Integrator, the app elsewhere', async () => {
    const tokens = scopedTokenProvider({ [INTEGRATOR]: staticTokenProvider('user') }, staticTokenProvider('app'));
    expect(await tokens.getToken(INTEGRATOR)).toBe('user');
    expect(await tokens.getToken(SCOPE)).toBe('app');
  });

  it('says whose token each scope gets: the person\'s sign-in for the Data Integrator, the bot\'s own identity elsewhere, nobody\'s in local mode', () => {
    const tokens = scopedTokenProvider({ [INTEGRATOR]: userTokenProvider(INTEGRATOR, async () => undefined) }, appTokenProvider({ kind: 'managedIdentity' }));
    expect(tokens.holder?.(INTEGRATOR)).toBe('person');
    expect(tokens.holder?.(SCOPE)).toBe('bot');
    expect(tokens.holder?.('https://contoso.crm.dynamics.com/.default')).toBe('bot');
    expect(staticTokenProvider().holder?.(SCOPE)).toBeUndefined();
  });

  it('refuses an empty token from its source', async () => {
    const tokens = new CachedTokenProvider(async () => ({ token: '' }));
    await expect(tokens.getToken(SCOPE)).rejects.toThrow(/No token/);
  });
});
