import { type DataIntegration, type DataflowRefresh, DataIntegrationError, refreshOutcomeOf } from '../../src/integration/port';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { wordsFor } from '../../src/words/words';
import { clickables } from '../helpers/cardClicks';
import { cardText } from '../helpers/cardWalk';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const GONE = 'Accounts no longer exists in Contoso CDS';

/**
 * A Dataverse environment as the bot's own identity reads it: the refresh history (filtered by the watched ids, as of the clock), and
 * the listing of its dataflows (`listed`; a deleted dataflow is left out, `fail` makes the listing fail).
 */
class FakeEnvironment {
  refreshes: DataflowRefresh[] = [];
  listed: string[] = [ACCOUNTS, CONTACTS];
  fail = false;
  /** The ids each refresh query asked for. */
  asked: string[][] = [];
  listings = 0;
  constructor(private readonly clock: () => Date) {}
  add(dataflowId: string, endMinute: number): void {
    this.refreshes.push({ id: `r${this.refreshes.length + 1}`, dataflowId, status: 'Success', outcome: refreshOutcomeOf('Success'), startedAt: at(endMinute - 1), endedAt: at(endMinute) });
  }
  get client(): DataIntegration {
    const fake: Partial<DataIntegration> = {
      refreshesEndedSince: async (_env, ids, since) => {
        this.asked.push([...ids]);
        return this.refreshes.filter((r) => ids.includes(r.dataflowId) && r.endedAt > since && Date.parse(r.endedAt) <= this.clock().getTime());
      },
      tableRefreshes: async () => [],
      listedDataflowIds: async () => {
        this.listings++;
        if (this.fail) throw new DataIntegrationError('busy', { service: 'dataverse', code: 'server_error', status: 503, retryable: true });
        return [...this.listed];
      },
    };
    return fake as DataIntegration;
  }
}

describe.each([sqliteBackend(), azureBackend()])('a watched dataflow deleted from its environment, on $name', (backend: StateBackend) => {
  let env: FakeEnvironment;
  const t = dataflowWatcherTest(backend, T0);
  const headlines = () => t.sender.posts.map((p) => p.text.split(' | ')[0]);
  /** Both dataflows refreshed every 10 minutes (Accounts at 2, 12, 22… past the hour, Contacts a minute earlier), each until the minute given. */
  const history = (accountsUntil: number, contactsUntil: number) => {
    for (let m = -70; m <= accountsUntil; m += 10) env.add(ACCOUNTS, m + 2);
    for (let m = -70; m <= contactsUntil; m += 10) env.add(CONTACTS, m + 1);
  };

  beforeEach(async () => {
    env = new FakeEnvironment(() => t.now);
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: CHANNEL, owner: ADA });
    // Contacts goes on succeeding under "failures only": it says nothing, so every post here is about Accounts.
    await t.store().watch({ dataflowId: CONTACTS, dataflowName: 'Contacts', environment: ENV, conversationId: CHANNEL, owner: ADA, notifyLevel: 'failures' });
  });

  test('its thread is told once, by name and environment, that it no longer exists and watching stopped; then no poll reads it and no stall is said, across a restart and two instances', async () => {
    history(0, 24 * 60);
    t.now = new Date(T0 + 5 * MIN);
    await t.watcher(env.client).pollOnce();
    expect(headlines()).toEqual(['✅ Accounts refreshed']);

    // Deleted in Power Apps: the environment's listing no longer has it. The first complete listing without it says nothing yet.
    env.listed = [CONTACTS];
    t.now = new Date(T0 + 20 * MIN);
    await t.watcher(env.client).pollOnce();
    expect(headlines()).toEqual(['✅ Accounts refreshed']);

    // A restart; the next complete listing (over a quarter of an hour later) still lacks it: one alert in its own thread.
    t.now = new Date(T0 + 36 * MIN);
    await t.watcher(env.client, await t.again()).pollOnce();
    expect(headlines()).toEqual(['✅ Accounts refreshed', `🗑️ ${GONE}`]);
    const gone = t.sender.posts[1]!;
    expect(gone.target).toMatchObject({ conversationId: CHANNEL, replyToId: 'm1' });
    expect(gone.text).toContain('I stopped watching it here');
    expect(gone.text).toContain('type "watch dataflows" to pick it again');
    // Its buttons would act on a watch that ended: the card has none (only the link to the environment's dataflows).
    expect(clickables(gone.card)).toEqual([]);

    // Two instances go on polling for a day: nothing more is said (a stall would have come after half an hour), Accounts is no longer read.
    const [one, other] = [t.watcher(env.client), t.watcher(env.client, await t.again())];
    env.asked = [];
    for (let m = 40; m <= 24 * 60; m += 15) {
      t.now = new Date(T0 + m * MIN);
      await one.pollOnce();
      await other.pollOnce();
    }
    expect(headlines()).toEqual(['✅ Accounts refreshed', `🗑️ ${GONE}`]);
    expect(env.asked.length).toBeGreaterThan(0);
    expect(env.asked.flat()).not.toContain(ACCOUNTS);
    expect((await t.store().inConversation(CHANNEL)).map((w) => w.dataflowName)).toEqual(['Contacts']);
  });

  test('a listing that failed, that lists nothing at all, or that leaves it out once ends nothing: it keeps being alerted', async () => {
    history(24 * 60, 24 * 60);
    const poll = async (minute: number) => { t.now = new Date(T0 + minute * MIN); await t.watcher(env.client).pollOnce(); };
    env.listed = [];
    await poll(5);
    await poll(25); // a day of empty answers would be needed; one is not enough
    env.fail = true;
    await poll(45);
    env.fail = false;
    env.listed = [CONTACTS];
    await poll(65);
    env.listed = [ACCOUNTS, CONTACTS];
    await poll(85);
    env.listed = [CONTACTS];
    await poll(105);
    env.listed = [ACCOUNTS, CONTACTS];
    await poll(125);
    expect(env.listings).toBeGreaterThanOrEqual(6);
    expect(headlines().filter((h) => !h?.startsWith('✅ Accounts refreshed'))).toEqual([]);
    expect(headlines()).toHaveLength(13); // its refreshes at 2, 12… 122 min, each once
    expect((await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.missing).toBeUndefined();
  });

  test('a listing whose refreshes still come is not believed: a dataflow that refreshes after it was first missed is not ended', async () => {
    history(24 * 60, 24 * 60);
    env.listed = [CONTACTS]; // e.g. the bot's role lets it see the refresh history but not this dataflow's row
    for (let m = 5; m <= 180; m += 20) {
      t.now = new Date(T0 + m * MIN);
      await t.watcher(env.client).pollOnce();
    }
    expect(headlines().filter((h) => !h?.startsWith('✅ Accounts refreshed'))).toEqual([]);
    expect(await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL })).toBeDefined();
  });

  test('an environment that lists no dataflow at all ends its watches only after a day of such answers, and says no stall meanwhile', async () => {
    history(0, 0); // nothing refreshes any more: deleted, or (as the card says) the bot may no longer see them
    env.listed = [];
    for (let m = 5; m < 24 * 60; m += 15) {
      t.now = new Date(T0 + m * MIN);
      await t.watcher(env.client).pollOnce();
    }
    expect(headlines()).toEqual(['✅ Accounts refreshed']);
    t.now = new Date(T0 + (24 * 60 + 20) * MIN);
    await t.watcher(env.client).pollOnce();
    // Contacts (failures only) is told too, in a thread of its own; both watches ended.
    expect(t.sender.posts.slice(1).map((p) => [p.target.replyToId ?? 'new thread', p.text.split(' | ')[0]]).sort()).toEqual([
      ['m1', `🗑️ ${GONE}`], ['new thread', '🗑️ Contacts no longer exists in Contoso CDS'],
    ]);
    expect(t.sender.posts[1]!.text).toContain('If it still exists there, an admin of the environment should check that the bot may still read its dataflows');
    expect(await t.store().inConversation(CHANNEL)).toEqual([]);
  });
});

test('the alert reads in the language of who asked for the watch', () => {
  const alert = { kind: 'gone' as const, dataflowId: ACCOUNTS, dataflowName: 'Konten', environment: ENV };
  const { attachment, summary } = dataflowPresenter(alert, wordsFor({ locale: 'de-DE' }));
  expect(cardText(attachment.content).split(' | ')[0]).toBe('🗑️ Konten gibt es in Contoso CDS nicht mehr');
  expect(cardText(attachment.content)).toContain('Ich beobachte ihn hier nicht mehr');
  expect(String(summary)).toBe('Konten gibt es nicht mehr: nicht mehr beobachtet');
});
