import type { TurnContext } from 'botbuilder';
import { BackgroundWork } from '../../src/features/backgroundWork';
import { dataflowActions } from '../../src/features/dataflows/dataflowActions';
import type { DataIntegrationSource } from '../../src/features/integrationSource';
import { type DataIntegration, type DataflowRefresh, DataIntegrationError, refreshOutcomeOf } from '../../src/integration/port';
import { type DataflowWatchStore, DELETED_WATCH_KEPT_MS } from '../../src/notifications/dataflowWatchStore';
import { VERBS } from '../../src/verbs';
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

/** A click on a button of one of the channel's alerts (message `replyToId`), by Bob in English, answered as Teams would show it. */
async function click(store: DataflowWatchStore, verb: string, data: Record<string, unknown>, replyToId: string): Promise<{ text: string; card?: unknown; replacesCard?: boolean }> {
  const actions = dataflowActions({ store, source: (async () => { throw new Error('no read needed'); }) as unknown as DataIntegrationSource, sender: { update: async () => ({ status: 'sent' }) }, background: new BackgroundWork() });
  const context = {
    activity: { type: 'invoke', from: { id: '29:bob', name: 'Bob', aadObjectId: 'bob' }, conversation: { id: CHANNEL, conversationType: 'channel' }, replyToId, locale: 'en-US' },
    turnState: new Map(),
  } as unknown as TurnContext;
  const answer = await actions[verb]!(context, data);
  return { text: String(answer.text), card: answer.card, replacesCard: answer.replacesCard };
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

  test('a button of one of its older alerts, clicked once its watch ended, says that it no longer exists (not only that it is not watched), and watches nothing again', async () => {
    history(0, 24 * 60);
    for (const [minute, listed] of [[5, [ACCOUNTS, CONTACTS]], [20, [CONTACTS]], [36, [CONTACTS]]] as const) {
      env.listed = [...listed];
      t.now = new Date(T0 + minute * MIN);
      await t.watcher(env.client).pollOnce();
    }
    expect(headlines()).toEqual(['✅ Accounts refreshed', `🗑️ ${GONE}`]);

    // The first alert (m1) still shows Every refresh, Failures only and Stop watching.
    for (const [verb, data] of [[VERBS.dataflowNotify, { dataflowId: ACCOUNTS, level: 'failures' }], [VERBS.dataflowStop, { dataflowId: ACCOUNTS }], [VERBS.dataflowNotify, { dataflowId: ACCOUNTS, level: 'all' }]] as const) {
      const answer = await click(t.store(), verb, data, 'm1');
      expect(answer.text).toBe(`${GONE}: I stopped watching it here. If it was recreated, type "watch dataflows" to pick it again.`);
      // The clicked alert is frozen: no button is left on it.
      expect(answer.replacesCard).toBe(true);
      expect(cardText(answer.card)).toContain(GONE);
      expect(clickables(answer.card)).toEqual([]);
    }
    // Nothing was watched again: no poll reads it, `status` does not list it.
    env.asked = [];
    t.now = new Date(T0 + 60 * MIN);
    await t.watcher(env.client).pollOnce();
    expect(env.asked.flat()).not.toContain(ACCOUNTS);
    expect((await t.store().inConversation(CHANNEL)).map((w) => w.dataflowName)).toEqual(['Contacts']);
    expect(headlines()).toHaveLength(2);

    // The ended watch is kept DELETED_WATCH_KEPT_MS for this; once a poll pruned it, a click says only that it is not watched.
    t.now = new Date(T0 + 36 * MIN + DELETED_WATCH_KEPT_MS + MIN);
    await t.watcher(env.client).pollOnce();
    expect(await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL })).toBeUndefined();
    expect((await click(t.store(), VERBS.dataflowStop, { dataflowId: ACCOUNTS }, 'm1')).text).toBe('I am not watching that dataflow here (any more). Type "status" to see what is watched.');
  });

  test('a muted watch of a dataflow deleted ends without a word; a button of its older alerts (how it would be unmuted) then says the dataflow no longer exists', async () => {
    history(0, 24 * 60);
    t.now = new Date(T0 + 5 * MIN);
    await t.watcher(env.client).pollOnce();
    expect(headlines()).toEqual(['✅ Accounts refreshed']);
    await t.store().setNotifyLevel({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, 'mute');

    // Deleted while muted: two complete listings without it, a quarter of an hour apart, then a day of polls.
    env.listed = [CONTACTS];
    for (let m = 20; m <= 24 * 60; m += 15) {
      t.now = new Date(T0 + m * MIN);
      await t.watcher(env.client).pollOnce();
    }
    // Muted means nothing is said: no "no longer exists", no stall. But the watch ended: `status` no longer lists it.
    expect(headlines()).toEqual(['✅ Accounts refreshed']);
    expect((await t.store().inConversation(CHANNEL)).map((w) => w.dataflowName)).toEqual(['Contacts']);
    env.asked = [];
    t.now = new Date(T0 + 25 * 60 * MIN);
    await t.watcher(env.client).pollOnce();
    expect(env.asked.flat()).not.toContain(ACCOUNTS);

    // Someone unmutes it from its older alert: told it no longer exists, not "from now on every refresh".
    const answer = await click(t.store(), VERBS.dataflowNotify, { dataflowId: ACCOUNTS, level: 'all' }, 'm1');
    expect(answer.text).toBe(`${GONE}: I stopped watching it here. If it was recreated, type "watch dataflows" to pick it again.`);
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
