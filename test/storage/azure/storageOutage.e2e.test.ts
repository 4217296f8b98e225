import { ADA, CHANNEL, execute, message } from '../../helpers/activities';
import { Harness, startHarness } from '../../helpers/harness';
import { azureBackend } from '../../helpers/stateBackends';
import { until } from '../../helpers/tryOut';
import { ENGLISH } from '../../../src/words/words';
import { VERBS } from '../../../src/verbs';

/** What a person is told while storage is down (src/words/en/errors.ts). */
const STORAGE_DOWN_TEXT = ENGLISH.reply('error.storageDown');

// Issue 28 (b), short form: Azure Storage stops answering (Azurite frozen) while people write and click.
describe('Azure Storage not answering', () => {
  const backend = azureBackend(15, { ownAzurite: true });
  let h: Harness;
  const freeze = async (frozen: boolean) => (await backend.azurite()).freeze!(frozen);
  const readyz = async () => { const res = await fetch(`${h.app.url}/readyz`); return { status: res.status, body: (await res.json()) as { store: { problem?: string } } }; };
  const timed = async <T>(work: () => Promise<T>) => { const started = Date.now(); const value = await work(); return { value, ms: Date.now() - started }; };

  // An Azurite of its own, and the bot: under a full run on 2 cores their start alone can pass Jest's 30 s.
  beforeAll(async () => { h = await startHarness(await backend.env()); }, 120_000);
  afterAll(async () => { await freeze(false); await h.close(); await backend.stop(); });

  test('a message and a click are answered within 5 s that storage is not answering and nothing changed; /readyz says 503 and why; all is well once it answers', async () => {
    expect((await h.post(message(h.serviceUrl, 'help', 'channel', ADA))).status).toBe(200);
    await freeze(true);

    const typed = await timed(() => h.post(message(h.serviceUrl, 'status', 'channel', ADA)));
    expect(typed.value.status).toBe(200);
    expect(typed.ms).toBeLessThan(5000);
    await until('the storage notice', () => h.connector.messages(CHANNEL).some((c) => c.activity.text === STORAGE_DOWN_TEXT), 5000);

    const clicked = await timed(() => h.post(execute(h.serviceUrl, ADA, VERBS.pauseSchedule, { projectName: 'AccSync' }, 'card-1')));
    expect(clicked.value.status).toBe(200);
    expect(clicked.ms).toBeLessThan(5000);
    expect(JSON.parse(clicked.value.body)).toMatchObject({ statusCode: 200, value: STORAGE_DOWN_TEXT });

    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body.store.problem).toMatch(/did not answer|timed out/);

    await freeze(false);
    await until('ready again', async () => (await readyz()).status === 200, 20_000);
    const before = h.connector.messages(CHANNEL).length;
    await h.post(message(h.serviceUrl, 'help', 'channel', ADA));
    expect(h.connector.messages(CHANNEL).slice(before).map((c) => c.activity.text)).not.toContain(STORAGE_DOWN_TEXT);
  }, 90_000);
});
