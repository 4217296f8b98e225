import { ALERT_CARDS_KEPT, DataflowWatchStore, type DataflowWatchInput, DELETED_WATCH_KEPT_MS } from '../../src/notifications/dataflowWatchStore';
import type { StateStores } from '../../src/storage/stateStores';
import { dataflowPollGroups } from '../../src/notifications/dataflowDecision';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const ENV = { name: '7d4e9a1b-2c3f-4b5a-8e6d-0f1a2b3c4d5e', displayName: 'Contoso CDS', instanceUrl: 'https://contosocds.crm.dynamics.com/', instanceApiUrl: 'https://contosocds.api.crm.dynamics.com/' };
const ACCOUNTS = '4A1F0C2E-7B3D-4E5F-8A9B-1C2D3E4F5A6B';
const CONTACTS = '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c';
const CHANNEL = '19:general@thread.tacv2';
const input = (dataflowId: string, extra: Partial<DataflowWatchInput> = {}): DataflowWatchInput => ({
  dataflowId, dataflowName: dataflowId === CONTACTS ? 'Contacts from Salesforce' : 'Accounts from SQL Server', environment: ENV, conversationId: CHANNEL, owner: ADA, ...extra,
});

describe.each([sqliteBackend(), azureBackend()])('dataflow watches on $name', (backend: StateBackend) => {
  let stores: StateStores;
  let again: () => Promise<StateStores>;
  let clock: Date;
  const storeOf = (s: StateStores) => new DataflowWatchStore(s.dataflowWatches, () => clock);
  beforeEach(async () => {
    ({ stores, again } = await backend.open());
    clock = new Date('2026-12-06T10:00:00.000Z');
  });
  afterEach(async () => { await stores.close(); });
  afterAll(() => backend.stop());

  // An admin changed the environment's URL in the admin center: the bot's reads of the old one fail, and it says so in
  // each conversation; picking the dataflows again in one of them must be enough for every watch of that environment.
  test('an environment picked again at a new address is read there, for the watches picked before at the old one too', async () => {
    const store = storeOf(stores);
    await store.watch(input(ACCOUNTS, { conversationId: 'a:personal-chat' }));
    await store.watch(input(CONTACTS));
    clock = new Date('2026-12-07T10:00:00.000Z');
    const moved = { ...ENV, instanceUrl: 'https://contoso-new.crm.dynamics.com/', instanceApiUrl: 'https://contoso-new.api.crm.dynamics.com/' };
    await store.watch(input(ACCOUNTS, { conversationId: 'a:personal-chat', environment: moved }));
    expect((await store.active()).map((w) => w.conversationId)).toEqual([CHANNEL, 'a:personal-chat']);
    const groups = dataflowPollGroups(await store.active());
    expect(groups.map((g) => [g.environment.instanceApiUrl, g.watches.length])).toEqual([[moved.instanceApiUrl, 2]]);
  });

  test('watching the same dataflow twice in one conversation changes the existing watch; another conversation has its own', async () => {
    const store = storeOf(stores);
    await store.watch(input(ACCOUNTS, { threadActivityId: 'thread-1' }));
    await store.update({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, { recentEnds: ['2026-12-06T09:00:00.000Z'] });
    clock = new Date('2026-12-06T11:00:00.000Z');
    const changed = await store.watch(input(ACCOUNTS.toLowerCase(), { notifyLevel: 'failures' }));
    expect(changed).toMatchObject({ dataflowId: ACCOUNTS.toLowerCase(), notifyLevel: 'failures', threadActivityId: 'thread-1', since: '2026-12-06T10:00:00.000Z', recentEnds: ['2026-12-06T09:00:00.000Z'] });
    await store.watch(input(CONTACTS));
    await store.watch(input(ACCOUNTS, { conversationId: 'a:personal-chat' }));
    expect((await store.inConversation(CHANNEL)).map((w) => [w.dataflowName, w.notifyLevel])).toEqual([
      ['Accounts from SQL Server', 'failures'], ['Contacts from Salesforce', 'all'],
    ]);
    const second = await again();
    expect((await storeOf(second).active()).map((w) => w.conversationId).sort()).toEqual([CHANNEL, CHANNEL, 'a:personal-chat'].sort());
    await second.close();
  }, 60_000);

  test('a refresh reported once stays reported, for another instance too, per watch', async () => {
    const store = storeOf(stores);
    const key = { dataflowId: ACCOUNTS, conversationId: CHANNEL };
    await store.watch(input(ACCOUNTS));
    await store.markReported(key, ['r-1', 'r-2']);
    await store.markReported(key, ['r-2']);
    const second = await again();
    const other = storeOf(second);
    expect([...await other.reported({ ...key, dataflowId: ACCOUNTS.toLowerCase() }, ['r-1', 'r-2', 'r-3'])].sort()).toEqual(['r-1', 'r-2']);
    expect((await other.reported({ ...key, conversationId: 'a:personal-chat' }, ['r-1'])).size).toBe(0);
    clock = new Date('2027-02-01T00:00:00.000Z');
    await store.markReported(key, ['r-3']);
    expect(await store.pruneReports(new Date('2027-01-01T00:00:00.000Z'))).toBe(2);
    expect([...await store.reported(key, ['r-1', 'r-2', 'r-3'])]).toEqual(['r-3']);
    await second.close();
  }, 60_000);

  test('each environment has its own cursor, which only moves forward, whichever instance writes', async () => {
    const store = storeOf(stores);
    const second = await again();
    const other = storeOf(second);
    expect(await store.cursor(ENV.name)).toBeUndefined();
    const ends = Array.from({ length: 8 }, (_, i) => `2026-12-06T10:0${i}:00.000Z`);
    await Promise.all(ends.map((end, i) => (i % 2 ? other : store).advanceCursor(ENV.name, end)));
    expect(await other.cursor(ENV.name)).toBe(ends.at(-1));
    await store.advanceCursor(ENV.name, '2026-12-06T09:00:00Z');
    expect(await store.cursor(ENV.name)).toBe(ends.at(-1));
    expect(await store.cursor('another-environment')).toBeUndefined();
    await second.close();
  }, 60_000);

  test('stop watching acts once; a conversation that refused the bot is skipped until it comes back', async () => {
    const store = storeOf(stores);
    await store.watch(input(ACCOUNTS));
    await store.watch(input(CONTACTS));
    expect(await store.stop({ dataflowId: CONTACTS.toUpperCase(), conversationId: CHANNEL })).toMatchObject({ dataflowId: CONTACTS, dataflowName: 'Contacts from Salesforce' });
    expect(await store.stop({ dataflowId: CONTACTS, conversationId: CHANNEL })).toBeUndefined();
    expect(await store.markConversationGone(CHANNEL)).toBe(1);
    expect(await store.active()).toEqual([]);
    expect(await store.reviveConversation(CHANNEL)).toBe(1);
    expect((await store.active()).map((w) => w.dataflowName)).toEqual(['Accounts from SQL Server']);
    // Muted, it is still polled (silently): it must end if its dataflow is deleted.
    await store.setNotifyLevel({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, 'mute');
    expect((await store.active()).map((w) => w.notifyLevel)).toEqual(['mute']);
  }, 60_000);

  test('a watch that ended with its dataflow deleted is kept, ended, to say why at a click; watching it again starts it; it is pruned after DELETED_WATCH_KEPT_MS', async () => {
    const store = storeOf(stores);
    const key = { dataflowId: ACCOUNTS, conversationId: CHANNEL };
    await store.watch(input(ACCOUNTS));
    await store.watch(input(CONTACTS));
    await store.update(key, { deletedAt: clock.toISOString(), missing: { since: '2026-12-06T09:40:00.000Z' } });
    // Not polled, not in `status`; a level or a stop leaves it as it is and answers it (its `deletedAt` says why).
    expect((await store.active()).map((w) => w.dataflowName)).toEqual(['Contacts from Salesforce']);
    expect((await store.inConversation(CHANNEL)).map((w) => w.dataflowName)).toEqual(['Contacts from Salesforce']);
    expect(await store.setNotifyLevel(key, 'failures')).toMatchObject({ notifyLevel: 'all', deletedAt: clock.toISOString() });
    expect(await store.stop(key)).toMatchObject({ deletedAt: clock.toISOString() });
    expect(await store.get(key)).toMatchObject({ deletedAt: clock.toISOString() });

    clock = new Date(clock.getTime() + DELETED_WATCH_KEPT_MS - 1);
    expect(await store.pruneDeleted(new Date(clock.getTime() - DELETED_WATCH_KEPT_MS))).toBe(0);
    clock = new Date(clock.getTime() + 2);
    expect(await store.pruneDeleted(new Date(clock.getTime() - DELETED_WATCH_KEPT_MS))).toBe(1);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.get({ dataflowId: CONTACTS, conversationId: CHANNEL })).toBeDefined();

    // Picked again (recreated with the same id, or a listing that was wrong): watched again, from scratch.
    await store.watch(input(ACCOUNTS));
    await store.update(key, { deletedAt: clock.toISOString(), missing: { since: clock.toISOString() } });
    await store.watch(input(ACCOUNTS, { notifyLevel: 'failures' }));
    const again = await store.get(key);
    expect(again).toMatchObject({ notifyLevel: 'failures' });
    expect(again).not.toHaveProperty('deletedAt');
    expect(again).not.toHaveProperty('missing');
    expect((await store.active()).map((w) => w.dataflowName).sort()).toEqual(['Accounts from SQL Server', 'Contacts from Salesforce']);
  }, 60_000);

  test('a watch that ended with its dataflow deleted, picked again, starts from now as a new watch would, in the same thread with its older alerts', async () => {
    const store = storeOf(stores);
    const key = { dataflowId: ACCOUNTS, conversationId: CHANNEL };
    await store.watch(input(ACCOUNTS, { notifyLevel: 'failures' }));
    await store.update(key, {
      threadActivityId: 'thread-1', recentEnds: ['2026-12-06T09:00:00.000Z'], longestGap: { ms: 3_600_000, endedAt: '2026-12-06T09:00:00.000Z' },
      lastRefresh: { id: 'r-1', status: 'Success', outcome: 'succeeded', endedAt: '2026-12-06T09:00:00.000Z' },
      stalledAt: '2026-12-06T11:00:00.000Z', unreadableAt: '2026-12-06T11:30:00.000Z',
      missing: { since: '2026-12-06T11:40:00.000Z' }, deletedAt: '2026-12-06T12:00:00.000Z',
    }, 'card-1');
    clock = new Date('2026-12-07T12:30:00.000Z');
    const again = await store.watch(input(ACCOUNTS));
    expect(again).toEqual({
      ...input(ACCOUNTS), dataflowId: ACCOUNTS.toLowerCase(), notifyLevel: 'all', since: clock.toISOString(), environmentAt: clock.toISOString(), threadActivityId: 'thread-1', alertCards: ['card-1'],
    });
    expect(await store.get(key)).toEqual(again);
  }, 60_000);

  test('each alert posted is kept on the watch (newest last, the latest ALERT_CARDS_KEPT), and Stop answers them to freeze', async () => {
    const store = storeOf(stores);
    const key = { dataflowId: ACCOUNTS, conversationId: CHANNEL };
    await store.watch(input(ACCOUNTS));
    for (let i = 1; i <= ALERT_CARDS_KEPT + 2; i++) await store.update(key, i === 1 ? { threadActivityId: 'card-1' } : {}, `card-${i}`);
    await store.update(key, {}, `card-${ALERT_CARDS_KEPT + 2}`); // the same message again (an update of it) is not kept twice
    const kept = (await store.get(key))?.alertCards;
    expect(kept).toHaveLength(ALERT_CARDS_KEPT);
    expect([kept?.[0], kept?.at(-1)]).toEqual(['card-3', `card-${ALERT_CARDS_KEPT + 2}`]);
    expect(await store.get(key)).toMatchObject({ threadActivityId: 'card-1' });
    expect((await store.stop(key))?.alertCards).toEqual(kept);
  }, 60_000);

  test('project watches and dataflow watches of one conversation do not see each other', async () => {
    const store = storeOf(stores);
    await store.watch(input(ACCOUNTS));
    await store.markReported({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, ['r-1']);
    expect(await stores.watches.list(CHANNEL)).toEqual([]);
    expect(await stores.watches.pruneReports('2100-01-01T00:00:00.000Z')).toBe(0);
    expect((await store.reported({ dataflowId: ACCOUNTS, conversationId: CHANNEL }, ['r-1'])).size).toBe(1);
  }, 60_000);
});
