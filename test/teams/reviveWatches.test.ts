import { TestAdapter } from 'botbuilder';
import type { ConversationRecord } from '../../src/notifications/conversationReferenceStore';
import { WatchStore } from '../../src/notifications/watchStore';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../src/storage/stateStores';
import { reviveWatchesMiddleware, teamWatchesMiddleware } from '../../src/teams/reviveWatches';
import { tempDataDir } from '../helpers/harness';

describe('the watch-revive middleware (issue 29, item 4)', () => {
  const run = async (activity: Record<string, unknown>, revive: (id: string) => Promise<unknown>) => {
    const revived: string[] = [];
    let routed = 0;
    const adapter = new TestAdapter(async () => { routed++; }).use(reviveWatchesMiddleware({ reviveConversation: async (id) => { revived.push(id); await revive(id); return 1; } }));
    await adapter.processActivity({ type: 'message', text: 'hi', conversation: { id: '19:general;messageid=17' }, ...activity } as never);
    return { revived, routed };
  };

  test('a message or the app added again revives the conversation\'s watches before any routing', async () => {
    expect(await run({}, async () => undefined)).toEqual({ revived: ['19:general'], routed: 1 });
    expect(await run({ type: 'installationUpdate', action: 'add' }, async () => undefined)).toEqual({ revived: ['19:general'], routed: 1 });
  });

  test('other activities revive nothing', async () => {
    expect(await run({ type: 'installationUpdate', action: 'remove' }, async () => undefined)).toEqual({ revived: [], routed: 1 });
    expect(await run({ type: 'event', name: 'ContinueConversation' }, async () => undefined)).toEqual({ revived: [], routed: 1 });
  });

  test('a store that fails does not stop the person\'s turn', async () => {
    expect(await run({}, async () => { throw new Error('storage down'); })).toEqual({ revived: ['19:general'], routed: 1 });
  });

  test('project and dataflow watches are revived alike; one store failing leaves the other revived', async () => {
    const revived: string[] = [];
    const store = (kind: string, fails = false) => ({ reviveConversation: async (id: string) => { revived.push(`${kind} ${id}`); if (fails) throw new Error('storage down'); return 1; } });
    let routed = 0;
    const adapter = new TestAdapter(async () => { routed++; }).use(reviveWatchesMiddleware(store('projects', true), store('dataflows')));
    await adapter.processActivity({ type: 'message', text: 'hi', conversation: { id: '19:general;messageid=17' } } as never);
    expect({ revived: revived.sort(), routed }).toEqual({ revived: ['dataflows 19:general', 'projects 19:general'], routed: 1 });
  });
});

describe('the team middleware: the bot leaving a team and added back to it', () => {
  const BOT = { id: '28:bot' };
  const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
  const channel = (conversationId: string, teamId?: string): ConversationRecord => ({
    conversationId, teamId, tenantId: 't1', channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversationType: teamId ? 'channel' : 'personal',
    reference: { channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversation: { id: conversationId }, bot: BOT },
  });
  /** A conversationUpdate of `teamId`'s General channel, with the bot added or removed. */
  const update = (teamId: string, members: 'membersAdded' | 'membersRemoved') => ({
    type: 'conversationUpdate', channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', recipient: BOT, from: { id: '29:admin' },
    conversation: { id: `${teamId}-general`, conversationType: 'channel', tenantId: 't1' }, [members]: [BOT],
    channelData: { team: { id: teamId }, tenant: { id: 't1' }, eventType: members === 'membersAdded' ? 'teamMemberAdded' : 'teamMemberRemoved' },
  });
  let stores: StateStores;
  let watches: WatchStore;
  let adapter: TestAdapter;
  const watchIn = (conversationId: string) => watches.get({ projectName: 'AccSync', conversationId });

  beforeEach(async () => {
    stores = openSqliteStateStores(tempDataDir());
    watches = new WatchStore(stores.watches);
    adapter = new TestAdapter(async () => undefined).use(teamWatchesMiddleware(stores.refs, watches));
    for (const record of [channel('19:sales-reports', '19:sales'), channel('19:ops-general', '19:ops'), channel('a:chat')]) {
      await stores.refs.save(record);
      await watches.watch({ projectName: 'AccSync', conversationId: record.conversationId, owner: OWNER, threadActivityId: 'root-1' });
    }
  });
  afterEach(() => stores.close());

  test('leaving a team marks the watches of its channels gone, with the team; other teams\' channels and chats stay watched', async () => {
    await adapter.processActivity(update('19:sales', 'membersRemoved') as never);
    expect(await watchIn('19:sales-reports')).toMatchObject({ goneAt: expect.any(String), teamId: '19:sales' });
    for (const other of ['19:ops-general', 'a:chat']) expect((await watchIn(other))?.goneAt).toBeUndefined();
  });

  test('added back, each channel of the team that had watches gets a reference to its channel id and its watches back, in their thread', async () => {
    await adapter.processActivity(update('19:sales', 'membersRemoved') as never);
    await stores.refs.removeTeam('19:sales'); // what the bot does after the middleware
    await adapter.processActivity(update('19:sales', 'membersAdded') as never);
    expect(await watchIn('19:sales-reports')).toMatchObject({ threadActivityId: 'root-1', teamId: '19:sales' });
    expect((await watchIn('19:sales-reports'))?.goneAt).toBeUndefined();
    expect(await stores.refs.get('19:sales-reports')).toEqual({
      conversationId: '19:sales-reports', teamId: '19:sales', tenantId: 't1', channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversationType: 'channel',
      reference: { channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversation: { id: '19:sales-reports', conversationType: 'channel', isGroup: true, tenantId: 't1' }, bot: BOT },
    });
  });

  test('a team added back that had no watches changes nothing: no reference is written, no watch is touched', async () => {
    await watches.markConversationGone('a:chat');
    const before = { refs: await stores.refs.list(), watches: await stores.watches.list() };
    await adapter.processActivity(update('19:empty', 'membersAdded') as never);
    expect({ refs: await stores.refs.list(), watches: await stores.watches.list() }).toEqual(before);
  });
});
