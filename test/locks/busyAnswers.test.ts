import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { LocalApp, startLocalApp } from '../../dev/local/startLocalApp';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { ADA, execute } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';

/** A click while the same person's previous turn still holds their lock (here: held for the test) is answered in time, in a shape Teams shows. */
describe('a click while the person\'s previous turn still runs', () => {
  let app: LocalApp;
  let connector: Awaited<ReturnType<typeof startLocalConnector>>;
  let held = false;
  beforeAll(async () => {
    connector = await startLocalConnector();
    const config = loadConfig({ PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'silent', SANDBOX_PORT: '0' }, 'test');
    app = await startLocalApp(config, createLogger('silent'), {
      aroundStores: (stores) => {
        const locks = stores.flowLocks;
        return { ...stores, flowLocks: { tryAcquire: (key, owner, ttl) => (held && key.includes('/users/') ? Promise.resolve(false) : locks.tryAcquire(key, owner, ttl)), release: (k, o) => locks.release(k, o), pruneExpired: (max) => locks.pruneExpired(max) } } as typeof stores;
      },
    });
  }, 60_000);
  afterAll(async () => { await app.close(); await connector.close(); });

  test('an Action.Execute gets "already working on that" as its invoke response within 10 s, not a 501 after Teams gave up', async () => {
    held = true;
    const started = Date.now();
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(execute(connector.serviceUrl, ADA, 'runAgain', { project: 'Accounts' }, 'card-1')) });
    const body = await res.json() as { statusCode: number; type: string; value: string };
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(body.value).toMatch(/already working on your previous action/);
  }, 40_000);
});
