import { DataIntegrationError, type DataIntegration, type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';

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

describe.each([sqliteBackend(), azureBackend()])('the dataflow watcher on $name', (backend: StateBackend) => {
  let history: FakeHistory;
  const t = dataflowWatcherTest(backend, T0);

  beforeEach(async () => {
    history = new FakeHistory();
    for (const id of [ACCOUNTS, CONTACTS]) await t.store().watch({ dataflowId: id, dataflowName: id === ACCOUNTS ? 'Accounts' : 'Contacts', environment: ENV, conversationId: CHANNEL, owner: ADA });
  });

  test('one query per environment; one alert per refresh in each dataflow\'s own thread, with its tables; nothing twice', async () => {
    history.add(ACCOUNTS, -30); // before the watch: never alerted
    const [a1, c1] = [history.add(ACCOUNTS, 5), history.add(CONTACTS, 6, 'Failed')];
    t.now = new Date(T0 + 10 * 60_000);
    const watcher = t.watcher(history.client);
    await watcher.pollOnce();
    expect(history.calls).toEqual(['refreshes', 'tables', 'tables']);
    expect(t.sender.posts.map((p) => [p.target.replyToId ?? 'new thread', p.text.split(' | ')[0]])).toEqual([
      ['new thread', '✅ Accounts refreshed'], ['new thread', '❌ The refresh of Contacts failed'],
    ]);
    expect(t.sender.posts[0]!.text).toContain(`**table of ${a1.id}**: 5 inserted, 7 upserted, 0 errors`);
    expect(t.sender.posts[1]!.text).toContain(`table of ${c1.id}`);

    history.add(ACCOUNTS, 12);
    t.now = new Date(T0 + 15 * 60_000);
    await watcher.pollOnce();
    await t.watcher(history.client, await t.again()).pollOnce(); // a restart reads the same window again: nothing repeats
    expect(t.sender.posts.map((p) => p.target.replyToId ?? 'new thread')).toEqual(['new thread', 'new thread', 'm1']);
    expect((await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.lastRefresh?.endedAt).toBe(at(12));
  });

  test('failures only: a success goes unsaid, a failure is alerted; a stopped watch says nothing more', async () => {
    await t.store().setNotifyLevel({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, 'failures');
    await t.store().stop({ dataflowId: CONTACTS, conversationId: CHANNEL });
    history.add(ACCOUNTS, 5);
    history.add(ACCOUNTS, 6, 'Failed');
    history.add(CONTACTS, 7, 'Failed');
    t.now = new Date(T0 + 10 * 60_000);
    await t.watcher(history.client).pollOnce();
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['❌ The refresh of Accounts failed']);
  });

  test('watches of two people in two conversations: one query of the environment with the bot\'s identity, each conversation alerted, nobody asked to sign in', async () => {
    const BOB = { aadObjectId: 'bob-aad', name: 'Bob Builder', userId: '29:bob' };
    await t.store().watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: ENV, conversationId: 'a:bob-chat', owner: BOB });
    history.add(ACCOUNTS, 5);
    t.now = new Date(T0 + 10 * 60_000);
    await t.watcher(history.client).pollOnce();
    expect(history.calls.filter((c) => c === 'refreshes')).toHaveLength(1);
    expect(t.sender.posts.map((p) => [p.target.conversationId, p.text.split(' | ')[0]]).sort()).toEqual([
      ['19:general', '✅ Accounts refreshed'], ['a:bob-chat', '✅ Accounts refreshed'],
    ]);
    expect(t.sender.posts.map((p) => p.text).join('\n')).not.toMatch(/sign.in/i);
  });

  test('Dataverse refusing the bot\'s own identity: said once per conversation with the admin\'s fix, never "sign in"; the alerts come when it reads again', async () => {
    history.add(ACCOUNTS, 5);
    history.failWith = new DataIntegrationError('refused', { service: 'dataverse', code: 'forbidden', status: 403, tokenOf: 'bot' });
    t.now = new Date(T0 + 10 * 60_000);
    const watcher = t.watcher(history.client);
    expect((await watcher.pollOnce()).failures).toBe(1);
    expect((await watcher.pollOnce()).failures).toBe(1);
    expect(t.sender.posts).toHaveLength(1);
    expect(t.sender.posts[0]!.text).toContain('I cannot read the refreshes of Accounts and 1 more dataflow right now');
    expect(t.sender.posts[0]!.text).toContain('At my last check, the environment\'s Dataverse refused the bot\'s own access. Signing in again will not help: ask an admin of that environment to add the bot as an application user');
    expect(t.sender.posts[0]!.text).not.toMatch(/Sign-in needed/);
    history.failWith = undefined;
    await watcher.pollOnce();
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0]).slice(1)).toEqual(['✅ Accounts refreshed']);
    expect((await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.unreadableAt).toBeUndefined();
  });

  test('a service failure is tried again at the next poll, and nothing is lost', async () => {
    history.add(ACCOUNTS, 5);
    history.failWith = new DataIntegrationError('busy', { service: 'dataverse', code: 'server_error', status: 503, retryable: true });
    t.now = new Date(T0 + 10 * 60_000);
    const watcher = t.watcher(history.client);
    expect((await watcher.pollOnce()).failures).toBe(1);
    history.failWith = undefined;
    await watcher.pollOnce();
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual(['✅ Accounts refreshed']);
  });

  test('a dataflow quiet for three times its usual interval is said to have stalled once, and to refresh again once', async () => {
    for (const m of [-70, -60, -50, -40, -30, -20, -10]) history.add(ACCOUNTS, m);
    t.now = new Date(T0);
    const watcher = t.watcher(history.client);
    await watcher.pollOnce();
    t.now = new Date(T0 + 25 * 60_000);
    await watcher.pollOnce();
    t.now = new Date(T0 + 35 * 60_000);
    await watcher.pollOnce();
    history.add(ACCOUNTS, 40);
    t.now = new Date(T0 + 41 * 60_000);
    await watcher.pollOnce();
    await watcher.pollOnce();
    expect(t.sender.posts.map((p) => p.text.split(' | ')[0])).toEqual([
      expect.stringContaining('⏸️ Accounts has not refreshed since'), '✅ Accounts refreshed', '▶️ Accounts is refreshing again',
    ]);
  });
});
