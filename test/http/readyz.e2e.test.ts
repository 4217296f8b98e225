import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';
import { Harness, startHarness } from '../helpers/harness';
import { until } from '../helpers/tryOut';

const readyz = async (h: Harness) => {
  const res = await fetch(`${h.app.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe.each([['sqlite', sqliteBackend], ['azure', () => azureBackend(15, { ownAzurite: true })]] as Array<[string, () => StateBackend]>)('/readyz on %s', (name, backendOf) => {
  let backend: StateBackend;
  let h: Harness | undefined;
  beforeAll(() => { backend = backendOf(); });
  afterEach(async () => { await h?.close(); h = undefined; });
  afterAll(async () => { await backend.stop(); });

  test('ready once the state store answers; /healthz stays the cheap liveness answer', async () => {
    h = await startHarness(await backend.env());
    const ready = await readyz(h);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, status: 'ok', store: { backend: name, answers: true } });
    if (name === 'azure') {
      // This single instance takes the lease at start: readiness says it is the one sending alerts.
      await until('the lease is taken', async () => (await readyz(h!)).body.lease?.holder === 'this instance', 30_000);
      expect((await readyz(h)).body.lease).toEqual({ thisInstance: true, holder: 'this instance' });
    } else {
      expect(ready.body.lease).toBeUndefined();
    }
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
  }, 90_000); // on azure, the start of an Azurite of its own (seconds, more under a full run on 2 cores)

  if (name === 'azure') {
    test('Azure Storage stopped: 503 naming the store, while /healthz still answers 200', async () => {
      h = await startHarness(await backend.env());
      await backend.stop();
      const notReady = await readyz(h);
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ ready: false, store: { backend: 'azure', answers: false } });
      expect(notReady.body.store.problem).toEqual(expect.any(String));
      expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    }, 60_000);
  }
});
