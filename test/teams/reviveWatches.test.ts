import { TestAdapter } from 'botbuilder';
import { reviveWatchesMiddleware } from '../../src/teams/reviveWatches';

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
