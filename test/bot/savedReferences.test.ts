import { ConversationRecord, ConversationReferenceStore } from '../../src/notifications/conversationReferenceStore';
import { SavedReferences } from '../../src/teams/conversationReferences';

function countingStore(): ConversationReferenceStore & { saves: number } {
  const rows = new Map<string, ConversationRecord>();
  const store = {
    saves: 0,
    async save(r: ConversationRecord) { store.saves++; rows.set(r.conversationId, r); },
    get: async (id: string) => rows.get(id),
    list: async () => [...rows.values()],
    markWelcomed: async () => true,
    async remove(id: string) { rows.delete(id); },
    async removeTeam(teamId: string) { const gone = [...rows.values()].filter((r) => r.teamId === teamId); gone.forEach((r) => rows.delete(r.conversationId)); return gone.length; },
  };
  return store;
}

const record = (activityId: string, user = '29:ada', teamId?: string): ConversationRecord => ({
  conversationId: 'a:chat', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', teamId,
  reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'a:chat' }, user: { id: user }, activityId },
});

describe('conversation references are written only when they change', () => {
  test('a message with the same reference (another activity id) is not written again; a change is', async () => {
    const store = countingStore();
    const refs = new SavedReferences(store);
    await refs.saveIfChanged(record('1'), 'message');
    await refs.saveIfChanged(record('2'), 'message');
    await refs.saveIfChanged(record('3'), 'invoke');
    expect(store.saves).toBe(1);
    await refs.saveIfChanged(record('4', '29:bob'), 'message');
    expect(store.saves).toBe(2);
    expect((await store.get('a:chat'))?.reference.user?.id).toBe('29:bob');
  });

  test('installs are always written, and so is the first activity after a restart or a removal', async () => {
    const store = countingStore();
    const refs = new SavedReferences(store);
    await refs.saveIfChanged(record('1', '29:ada', 'team'), 'message');
    await refs.saveIfChanged(record('2', '29:ada', 'team'), 'installationUpdate');
    expect(store.saves).toBe(2);
    await new SavedReferences(store).saveIfChanged(record('3', '29:ada', 'team'), 'message'); // a restarted process
    expect(store.saves).toBe(3);
    await refs.remove('a:chat');
    await refs.saveIfChanged(record('4', '29:ada', 'team'), 'message');
    expect(await store.get('a:chat')).toBeDefined();
    await refs.removeTeam('team');
    await refs.saveIfChanged(record('5', '29:ada', 'team'), 'message');
    expect(await store.get('a:chat')).toBeDefined();
    expect(store.saves).toBe(5);
  });

  test('after a while the reference is written again (another instance may have removed it)', async () => {
    const store = countingStore();
    let now = 0;
    const refs = new SavedReferences(store, () => now);
    await refs.saveIfChanged(record('1'), 'message');
    now += 9 * 60_000;
    await refs.saveIfChanged(record('2'), 'message');
    now += 2 * 60_000;
    await refs.saveIfChanged(record('3'), 'message');
    expect(store.saves).toBe(2);
  });
});
