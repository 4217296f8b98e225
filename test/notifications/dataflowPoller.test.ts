import { DataIntegrationError, type DataIntegration, type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { alertPresenter } from '../../src/render/runCards';
import type { StateStores } from '../../src/storage/stateStores';
import { cardText } from '../helpers/cardWalk';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const ACCOUNTS = '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b';
const CONTACTS = '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c';
const CHANNEL = '19:general';
const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A Dataverse environment's refresh history, counting the queries the watcher sends. */
class FakeHistory {
  refreshes: DataflowRefresh[] = [];
  calls: string[] = [];
  failWith?: Error;
  add(dataflowId: string, endMinute: number, status = 'Success'): DataflowRefresh {
    const r = { id: `r${this.refreshes.length + 1}`, dataflowId, status, outcome: refreshOutcomeOf(status), startedAt: at(endMinute - 1), endedAt: at(endMinute) };
    this.refreshes.push(r);
    return r;
  }
  get client(): DataIntegration {
    const fake: Partial<DataIntegration> = {
      refreshesEndedSince: async (_env, ids, since) => {
        this.calls.push('refreshes');
        if (this.failWith) throw this.failWith;
        return this.refreshes.filter((r) => ids.includes(r.dataflowId) && r.endedAt > since);
      },
      tableRefreshes: async (_env, id) => {
        this.calls.push('tables');
        return [{ tableName: `table of ${id}`, status: 'Success', outcome: 'succeeded', inserted: 5, upserted: 7, errors: 0 }];
      },
    };
    return fake as DataIntegration;
  }
}

/** Records what goes out; a channel gets a thread with the first message. */
class FakeSender {
  posts: Array<{ target: SendTarget; text: string }> = [];
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    this.posts.push({ target, text: cardText(activity.attachments?.[0]?.content) });
    const id = `m${this.posts.length}`;
    return target.newThread && !target.replyToId ? { status: 'sent', activityId: id, threadId: id } : { status: 'sent', activityId: id };
  }
  async update(): Promise<DeliveryResult> { return { status: 'sent' }; }
}

describe.each([sqliteBackend(), azureBackend()])('the dataflow watcher on $name', (backend: StateBackend) => {
  let stores: StateStores;
  let again: () => Promise<StateStores>;
  let now: Date;
  let history: FakeHistory;
  let sender: FakeSender;
  const watcherOn = (s: StateStores) => new RunWatcher({
    watches: new WatchStore(s.watches, () => now), sender, now: () => now, present: alertPresenter(), integrationFor: async () => undefined,
    dataflows: { store: new DataflowWatchStore(s.dataflowWatches, () => now), present: dataflowPresenter, reads: history.client },
  }, { pollMs: 10 });
  const store = () => new DataflowWatchStore(stores.dataflowWatches, () => now);

  beforeEach(async () => {
    ({ stores, again } = await backend.open());
    now = new Date(T0);
    history = new FakeHistory();
    sender = new FakeSender();
    for (const id of [ACCOUNTS, CONTACTS]) await store().watch({ dataflowId: id, dataflowName: id === ACCOUNTS ? 'Accounts' : 'Contacts', environment: ENV, conversationId: CHANNEL, owner: ADA });
  });
  afterEach(async () => { await stores.close(); });
  afterAll(() => backend.stop());

  test('one query per environment; one alert per refresh in each dataflow\'s own thread, with its tables; nothing twice', async () => {
    history.add(ACCOUNTS, -30); // before the watch: never alerted
    const [a1, c1] = [history.add(ACCOUNTS, 5), history.add(CONTACTS, 6, 'Failed')];
    now = new Date(T0 + 10 * 60_000);
    const watcher = watcherOn(stores);
    await watcher.pollOnce();
    expect(history.calls).toEqual(['refreshes', 'tables', 'tables']);
    expect(sender.posts.map((p) => [p.target.replyToId ?? 'new thread', p.text.split(' | ')[0]])).toEqual([
      ['new thread', '✅ Accounts refreshed'], ['new thread', '❌ The refresh of Contacts failed'],
    ]);
    expect(sender.posts[0]!.text).toContain(`**table of ${a1.id}**: 5 inserted, 7 upserted, 0 errors`);
    expect(sender.posts[1]!.text).toContain(`table of ${c1.id}`);

    history.add(ACCOUNTS, 12);
    now = new Date(T0 + 15 * 60_000);
    await watcher.pollOnce();
    await watcherOn(await again()).pollOnce(); // a restart reads the same window again: nothing repeats
    expect(sender.posts.map((p) => p.target.replyToId ?? 'new thread')).toEqual(['new thread', 'new thread', 'm1']);
    expect((await store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.lastRefresh?.endedAt).toBe(at(12));
  });

  test('failures only: a success goes unsaid, a failure is alerted; a stopped watch says nothing more', async () => {
    await store().setNotifyLevel({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, 'failures');
    await store().stop({ dataflowId: CONTACTS, conversationId: CHANNEL });
    history.add(ACCOUNTS, 5);
    history.add(ACCOUNTS, 6, 'Failed');
    history.add(CONTACTS, 7, 'Failed');
    now = new Date(T0 + 10 * 60_000);
    await watcherOn(stores).pollOnce();
    expect(sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Accounts failed']);
  });

  test('watches of two people in two conversations: one query of the environment with the bot\'s identity, each conversation alerted, nobody asked to sign in', async () => {
    const BOB = { aadObjectId: 'bob-aad', name: 'Bob Builder', userId: '29:bob' };
    await store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: 'a:bob-chat', owner: BOB });
    history.add(ACCOUNTS, 5);
    now = new Date(T0 + 10 * 60_000);
    await watcherOn(stores).pollOnce();
    expect(history.calls.filter((c) => c === 'refreshes')).toHaveLength(1);
    expect(sender.posts.map((p) => [p.target.conversationId, p.text.split(' | ')[0]]).sort()).toEqual([
      ['19:general', '✅ Accounts refreshed'], ['a:bob-chat', '✅ Accounts refreshed'],
    ]);
    expect(sender.posts.map((p) => p.text).join('\n')).not.toMatch(/sign.in/i);
  });

  test('Dataverse refusing the bot\'s own identity: said once per conversation with the admin\'s fix, never "sign in"; the alerts come when it reads again', async () => {
    history.add(ACCOUNTS, 5);
    history.failWith = new DataIntegrationError('refused', { service: 'dataverse', code: 'forbidden', status: 403, tokenOf: 'bot' });
    now = new Date(T0 + 10 * 60_000);
    const watcher = watcherOn(stores);
    expect((await watcher.pollOnce()).failures).toBe(1);
    expect((await watcher.pollOnce()).failures).toBe(1);
    expect(sender.posts).toHaveLength(1);
    expect(sender.posts[0]!.text).toContain('I cannot read the refreshes of Accounts and 1 more dataflow right now');
    expect(sender.posts[0]!.text).toContain('At my last check, the environment\'s Dataverse refused the bot\'s own access. Signing in again will not help: ask an admin of that environment to add the bot as an application user');
    expect(sender.posts[0]!.text).not.toMatch(/Sign-in needed/);
    history.failWith = undefined;
    await watcher.pollOnce();
    expect(sender.posts.map((p) => p.text.split(' | ')[0]).slice(1)).toEqual(['✅ Accounts refreshed']);
    expect((await store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.unreadableAt).toBeUndefined();
  });

  test('a service failure is tried again at the next poll, and nothing is lost', async () => {
    history.add(ACCOUNTS, 5);
    history.failWith = new DataIntegrationError('busy', { service: 'dataverse', code: 'server_error', status: 503, retryable: true });
    now = new Date(T0 + 10 * 60_000);
    const watcher = watcherOn(stores);
    expect((await watcher.pollOnce()).failures).toBe(1);
    history.failWith = undefined;
    await watcher.pollOnce();
    expect(sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['✅ Accounts refreshed']);
  });

  test('a dataflow quiet for three times its usual interval is said to have stalled once, and to refresh again once', async () => {
    for (const m of [-70, -60, -50, -40, -30, -20, -10]) history.add(ACCOUNTS, m);
    now = new Date(T0);
    const watcher = watcherOn(stores);
    await watcher.pollOnce();
    now = new Date(T0 + 25 * 60_000);
    await watcher.pollOnce();
    now = new Date(T0 + 35 * 60_000);
    await watcher.pollOnce();
    history.add(ACCOUNTS, 40);
    now = new Date(T0 + 41 * 60_000);
    await watcher.pollOnce();
    await watcher.pollOnce();
    expect(sender.posts.map((p) => p.text.split(' | ')[0])).toEqual([
      expect.stringContaining('⏸️ Accounts has not refreshed since'), '✅ Accounts refreshed', '▶️ Accounts is refreshing again',
    ]);
  });
});
