import { exchangeClaims } from '../../src/teams/ssoTokenExchange';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

/** What botbuilder's TeamsSSOTokenExchangeMiddleware writes for one exchange, and what it takes for "a duplicate". */
const claim = (id: string) => ({ [`msteams/a:personal-29:ada/${id}`]: { eTag: id } });
const isDuplicate = (err: unknown) => /etag conflict|precondition is not met/.test(String((err as Error).message).toLowerCase());

describe.each([['sqlite', sqliteBackend], ['azure', azureBackend]] as const)('SSO exchange claims on %s', (_name, makeBackend) => {
  const backend: StateBackend = makeBackend();
  afterAll(() => backend.stop());

  test('the first claim of an exchange id wins on any instance; every later one, from any instance, is a duplicate', async () => {
    const { stores, again } = await backend.open();
    const other = await again();
    const [one, two] = [exchangeClaims(stores.flowLocks), exchangeClaims(other.flowLocks)];
    const results = await Promise.allSettled([one.write(claim('x-1')), two.write(claim('x-1')), one.write(claim('x-1'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isDuplicate(r.reason)).toBe(true);
    await expect(two.write(claim('x-2'))).resolves.toBeUndefined();
    await Promise.all([stores.close(), other.close()]);
  });

  test("why not the bot's own state Storage: it refuses the middleware's first write too (an eTag on a missing item), so no exchange would go through", async () => {
    const { stores } = await backend.open();
    await expect(stores.storage.write(claim('x-3'))).rejects.toThrow();
    await stores.close();
  });
});
