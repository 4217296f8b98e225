import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import fc from 'fast-check';
import { sharedTokenRequests } from '../../../src/storage/azure/sharedTokenRequests';

const STORAGE = 'https://storage.azure.com/.default';
const VAULT = 'https://vault.azure.net/.default';
const token = (name: string): AccessToken => ({ token: name, expiresOnTimestamp: Date.now() + 3_600_000 });

/** A credential whose requests wait until the test answers them, in the order they were made; `shared` wraps it. */
function heldCredential() {
  const asked: Array<{ scopes: string | string[]; options?: GetTokenOptions; answer: (t: AccessToken) => void; fail: (e: Error) => void }> = [];
  const credential: TokenCredential = {
    getToken: (scopes, options) => new Promise((answer, fail) => { asked.push({ scopes, options, answer, fail }); }),
  };
  const shared = sharedTokenRequests(credential);
  /** The request in flight has settled: the next call goes to the credential again (nothing is kept here), and gets its answer. */
  const asksAgain = async () => {
    const next = shared.getToken(STORAGE);
    expect(asked).toHaveLength(2);
    asked[1]!.answer(token('again'));
    expect((await next)?.token).toBe('again');
  };
  return { shared, asked, asksAgain };
}

describe('sharedTokenRequests: concurrent calls for the same token share one request in flight', () => {
  test('six clients asking at once make one request, and all get its token; once it settles the next call asks again', async () => {
    const { shared, asked, asksAgain } = heldCredential();
    const calls = Array.from({ length: 6 }, () => shared.getToken(STORAGE));
    expect(asked).toHaveLength(1);
    asked[0]!.answer(token('first'));
    expect((await Promise.all(calls)).map((t) => t?.token)).toEqual(Array(6).fill('first'));
    await asksAgain(); // MSAL caches the tokens it issued
  });

  test('a failure reaches every caller that shared it, and is not kept: the next call asks again', async () => {
    const { shared, asked, asksAgain } = heldCredential();
    const calls = [shared.getToken(STORAGE), shared.getToken(STORAGE), shared.getToken(STORAGE)];
    const refused = Object.assign(new Error('No managed identity found'), { name: 'CredentialUnavailableError' });
    asked[0]!.fail(refused);
    for (const call of calls) await expect(call).rejects.toBe(refused);
    await asksAgain();
  });

  test('different scopes, tenants or claims do not share; the same scopes in another order do', async () => {
    const { shared, asked } = heldCredential();
    void shared.getToken([STORAGE, VAULT]);
    void shared.getToken([VAULT, STORAGE]);
    void shared.getToken(STORAGE);
    void shared.getToken(VAULT);
    void shared.getToken(STORAGE, { tenantId: 'other-tenant' });
    void shared.getToken(STORAGE, { claims: '{"access_token":{}}' });
    expect(asked.map((a) => [a.scopes, a.options?.tenantId, a.options?.claims])).toEqual([
      [[STORAGE, VAULT], undefined, undefined], [STORAGE, undefined, undefined], [VAULT, undefined, undefined],
      [STORAGE, 'other-tenant', undefined], [STORAGE, undefined, '{"access_token":{}}'],
    ]);
  });

  test('a caller that gives up stops waiting alone: the request (asked without its signal) answers the others', async () => {
    const { shared, asked } = heldCredential();
    const impatient = new AbortController();
    const first = shared.getToken(STORAGE, { abortSignal: impatient.signal });
    const second = shared.getToken(STORAGE);
    expect(asked[0]!.options?.abortSignal).toBeUndefined();
    impatient.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    asked[0]!.answer(token('shared'));
    expect((await second)?.token).toBe('shared');
    await expect(shared.getToken(STORAGE, { abortSignal: impatient.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(asked).toHaveLength(1);
  });

  test('any mix of concurrent calls: one request per scope, each caller gets its scope\'s token', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(STORAGE, VAULT, 'https://service.powerapps.com/.default'), { minLength: 1, maxLength: 20 }), async (scopes) => {
      const { shared, asked } = heldCredential();
      const calls = scopes.map((scope) => shared.getToken(scope));
      expect(asked.map((a) => a.scopes).sort()).toEqual([...new Set(scopes)].sort());
      asked.forEach((a) => a.answer(token(`for ${String(a.scopes)}`)));
      expect((await Promise.all(calls)).map((t) => t?.token)).toEqual(scopes.map((scope) => `for ${scope}`));
    }));
  });
});
