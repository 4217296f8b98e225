import { createDataIntegration, DataIntegrationClients, DataIntegrationError } from '../../src/integration';
import { ProjectIdCache } from '../../src/integration/services/projectIdCache';
import { loadConfig } from '../../src/config';
import { CountingTokens, type Harness, startHarness } from './harness';
import { createAccountsProject } from './setupFixtures';

describe('Data Integration clients built per person share what the process learned', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await createAccountsProject(h.client, 'Shared ids');
  });
  afterAll(() => h.close());

  const clientCounting = (projectIds?: ProjectIdCache) => {
    const tokens = new CountingTokens();
    const client = createDataIntegration({ baseUrls: h.sandbox.baseUrls, tokens, timeoutMs: 5000, maxRetries: 0, projectIds });
    return { client, requests: () => tokens.calls.length };
  };

  test('a second client reads the history in one request when the ids are shared, two when they are not', async () => {
    const shared = new ProjectIdCache();
    const first = clientCounting(shared);
    await first.client.listExecutions('Shared ids');
    expect(first.requests()).toBe(2); // the project's id, then its history

    const second = clientCounting(shared);
    await second.client.listExecutions('Shared ids');
    expect(second.requests()).toBe(1);

    const alone = clientCounting();
    await alone.client.listExecutions('Shared ids');
    expect(alone.requests()).toBe(2);
  });

  test('local mode hands every person the same client; Teams mode asks the person for a token', async () => {
    const base = { INTEGRATOR_BASE_URL: h.sandbox.baseUrls.integrator };
    const local = new DataIntegrationClients(loadConfig(base), { baseUrls: h.sandbox.baseUrls });
    expect(local.forPerson(async () => undefined)).toBe(local.forPerson(async () => undefined));

    const teams = new DataIntegrationClients(
      loadConfig({ ...base, MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555' }),
      { baseUrls: h.sandbox.baseUrls },
    );
    const notSignedIn = await teams.forPerson(async () => undefined).listProjects().catch((err: unknown) => err);
    expect(notSignedIn).toBeInstanceOf(DataIntegrationError);
    expect((notSignedIn as DataIntegrationError).code).toBe('no_token');

    const signedIn = await teams.forPerson(async () => ({ token: 'person-token' })).listProjects();
    expect(signedIn.map((p) => p.name)).toContain('Shared ids');
  });

  test('a watch\'s owner gets a client only when the edge reaches their sign-in', async () => {
    const config = loadConfig({ INTEGRATOR_BASE_URL: h.sandbox.baseUrls.integrator, MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555' });
    const owner = { aadObjectId: 'aad-1', name: 'Ada', userId: '29:ada' };
    const asked: string[] = [];
    const clients = new DataIntegrationClients(config, { baseUrls: h.sandbox.baseUrls }, undefined, {
      ofOwner: async (person, conversationId) => {
        asked.push(`${person.userId}@${conversationId}`);
        return conversationId === 'reachable' ? async () => ({ token: 'owner-token' }) : undefined;
      },
    });
    expect(await clients.forOwner({ owner, conversationId: 'gone' })).toBeUndefined();
    const client = await clients.forOwner({ owner, conversationId: 'reachable' });
    expect((await client!.listProjects()).map((p) => p.name)).toContain('Shared ids');
    expect(asked).toEqual(['29:ada@gone', '29:ada@reachable']);
    expect(await new DataIntegrationClients(config, { baseUrls: h.sandbox.baseUrls }).forOwner({ owner, conversationId: 'reachable' })).toBeUndefined();
  });
});

describe('ProjectIdCache', () => {
  test('keeps at most its capacity, dropping the oldest first', () => {
    const cache = new ProjectIdCache(2);
    cache.set('u', 'a', '1');
    cache.set('u', 'b', '2');
    cache.set('u', 'a', '1b'); // refreshed: now the newest
    cache.set('u', 'c', '3');
    expect([cache.get('u', 'a'), cache.get('u', 'b'), cache.get('u', 'c')]).toEqual(['1b', undefined, '3']);
    expect(cache.get('other', 'a')).toBeUndefined();
  });
});
