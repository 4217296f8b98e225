import { ConversationRecord, ConversationReferenceStore } from '../../src/notifications/conversationReferenceStore';
import { ConversationTransport, DeliveryError, OutboundActivity } from '../../src/notifications/outbound';
import { ProactiveSender } from '../../src/notifications/proactiveSender';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS } from '../../src/notifications/slidingWindowLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const record = (conversationId: string, conversationType = 'channel'): ConversationRecord => ({
  conversationId, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', tenantId: 't', conversationType,
  reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: conversationId }, bot: { id: '28:bot' } },
});
const hello: OutboundActivity = { type: 'message', text: 'hello' };

/** A transport whose answers the test scripts: each call takes the next fault for its conversation, if any. */
class ScriptedTransport implements ConversationTransport {
  sent: Array<{ conversationId: string; replyToId?: string; kind: string }> = [];
  faults = new Map<string, DeliveryError[]>();
  private answer(conversationId: string) {
    const fault = this.faults.get(conversationId)?.shift();
    if (fault) throw fault;
  }
  async send(r: ConversationRecord, _a: OutboundActivity, replyToId?: string) {
    this.answer(r.conversationId);
    this.sent.push({ conversationId: r.conversationId, replyToId, kind: 'send' });
    return { id: `m${this.sent.length}` };
  }
  async update(r: ConversationRecord) {
    this.answer(r.conversationId);
    this.sent.push({ conversationId: r.conversationId, kind: 'update' });
  }
  async startThread(r: ConversationRecord) {
    this.answer(r.conversationId);
    this.sent.push({ conversationId: r.conversationId, kind: 'thread' });
    return { threadId: 'root-1' };
  }
}

describe.each([sqliteBackend(), azureBackend()])('proactive sending ($name references)', (backend: StateBackend) => {
  afterAll(() => backend.stop());
  let refs: ConversationReferenceStore;
  let transport: ScriptedTransport;
  let gone: string[];
  const sender = (limiter?: SlidingWindowLimiter) => new ProactiveSender({
    refs, transport, onGone: (id) => { gone.push(id); }, conversationLimiter: limiter,
    retry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
  });

  beforeEach(async () => {
    refs = (await backend.open()).stores.refs;
    transport = new ScriptedTransport();
    gone = [];
    await refs.save(record('19:a'));
    await refs.save(record('19:b'));
    await refs.save(record('a:personal', 'personal'));
  });

  test('429 with Retry-After, then 200: delivered once, after the wait', async () => {
    transport.faults.set('19:a', [new DeliveryError('throttled', 429, 'Throttled', 30)]);
    const started = Date.now();
    expect(await sender().send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'sent' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(transport.sent).toHaveLength(1);
  });

  test.each([[412], [502], [503], [504], [undefined]])('%s is retried', async (status) => {
    transport.faults.set('19:a', [new DeliveryError('transient', status), new DeliveryError('transient', status)]);
    expect(await sender().send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'sent' });
  });

  test('a fault that lasts ends as failed, without throwing and without forgetting the conversation', async () => {
    transport.faults.set('19:a', Array.from({ length: 5 }, () => new DeliveryError('down', 503)));
    expect(await sender().send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'failed', unavailable: true });
    expect(await refs.get('19:a')).toBeDefined();
    expect(gone).toEqual([]);
  });

  test('a state store that does not answer is not a conversation that is gone: failed for now, nothing forgotten (issue 28)', async () => {
    const down: ConversationReferenceStore = { ...refs, get: async () => { throw new Error('ECONNREFUSED'); }, remove: async () => { throw new Error('must not be called'); } };
    const s = new ProactiveSender({ refs: down, transport, onGone: (id) => { gone.push(id); } });
    expect(await s.send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'failed', unavailable: true });
    expect(gone).toEqual([]);
    expect(transport.sent).toEqual([]);
  });

  test('403 drops the conversation and its reference at once; the next conversation still gets its message', async () => {
    transport.faults.set('19:a', [new DeliveryError('removed', 403, 'BotNotInConversationRoster')]);
    const s = sender();
    expect(await s.send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'gone' });
    expect(await refs.get('19:a')).toBeUndefined();
    expect(gone).toEqual(['19:a']);
    expect(await s.send({ conversationId: '19:b' }, hello)).toMatchObject({ status: 'sent' });
    expect(transport.sent.map((c) => c.conversationId)).toEqual(['19:b']);
  });

  test('404 on a send drops the conversation; 404 on an update only means the message is gone', async () => {
    transport.faults.set('19:a', [new DeliveryError('no conversation', 404)]);
    transport.faults.set('19:b', [new DeliveryError('no message', 404)]);
    expect(await sender().send({ conversationId: '19:a' }, hello)).toMatchObject({ status: 'gone' });
    expect(await sender().update('19:b', 'm1', hello)).toMatchObject({ status: 'failed', messageGone: true });
    expect(await refs.get('19:b')).toBeDefined();
  });

  // Someone deleted the alert a thread began with: a reply to it is refused with a 404, while the channel is there.
  test('a reply refused with 404 (its thread\'s first message deleted) starts a new thread instead of forgetting the channel', async () => {
    transport.faults.set('19:a', [new DeliveryError('Message does not exist in the thread.', 404, 'ActivityNotFoundInConversation')]);
    expect(await sender().send({ conversationId: '19:a', replyToId: 'deleted-root' }, hello)).toEqual({ status: 'sent', activityId: 'root-1', threadId: 'root-1' });
    expect(gone).toEqual([]);
    expect(await refs.get('19:a')).toBeDefined();
    transport.faults.set('19:b', [new DeliveryError('no conversation', 404, 'ConversationNotFound'), new DeliveryError('no conversation', 404, 'ConversationNotFound')]);
    expect(await sender().send({ conversationId: '19:b', replyToId: 'root' }, hello)).toMatchObject({ status: 'gone' });
    expect(gone).toEqual(['19:b']);
  });

  test('a conversation without a reference is reported gone', async () => {
    expect(await sender().send({ conversationId: '19:unknown' }, hello)).toMatchObject({ status: 'gone' });
    expect(gone).toEqual(['19:unknown']);
  });

  test('a new thread is started in a channel only; replies go to the given message', async () => {
    const s = sender();
    expect(await s.send({ conversationId: '19:a', newThread: true }, hello)).toEqual({ status: 'sent', activityId: 'root-1', threadId: 'root-1' });
    expect(await s.send({ conversationId: 'a:personal', newThread: true }, hello)).toEqual({ status: 'sent', activityId: 'm2' });
    await s.send({ conversationId: '19:a', replyToId: 'root-1' }, hello);
    expect(transport.sent).toEqual([
      { conversationId: '19:a', kind: 'thread' },
      { conversationId: 'a:personal', kind: 'send', replyToId: undefined },
      { conversationId: '19:a', kind: 'send', replyToId: 'root-1' },
    ]);
  });

  test("a send retried after a 429 keeps its place in the tenant's queue: it does not wait behind those queued since", async () => {
    // Real timers: the Retry-After (20 ms) is a tenth of a send slot (200 ms), so a loaded machine's late timers cannot reorder them.
    transport.faults.set('19:a', [new DeliveryError('throttled', 429, 'Throttled', 20)]);
    const s = new ProactiveSender({ refs, transport, tenantLimiter: new SlidingWindowLimiter([{ limit: 1, windowMs: 200 }]), retry: { maxAttempts: 3 } });
    const first = s.send({ conversationId: '19:a' }, hello);
    const others = [...Array.from({ length: 6 }, () => s.send({ conversationId: '19:b' }, hello)), s.send({ conversationId: 'a:personal' }, hello)];
    expect(await first).toMatchObject({ status: 'sent' });
    await Promise.all(others);
    // Queued again at the back it would go last (8th); it goes among the first, once its Retry-After has passed.
    const order = transport.sent.map((c) => c.conversationId);
    expect(order).toHaveLength(8);
    expect(order.indexOf('19:a')).toBeLessThan(4);
  });

  test('a send whose conversation reference is read late keeps the place of its call: it does not go behind those called after it', async () => {
    const slowRefs: ConversationReferenceStore = { ...refs, get: async (id) => { if (id === '19:a') await new Promise((r) => setTimeout(r, 100)); return refs.get(id); } };
    const s = new ProactiveSender({ refs: slowRefs, transport, tenantLimiter: new SlidingWindowLimiter([{ limit: 1, windowMs: 200 }]) });
    const first = s.send({ conversationId: '19:a' }, hello);
    const others = Array.from({ length: 4 }, () => s.send({ conversationId: '19:b' }, hello));
    await Promise.all([first, ...others]);
    expect(transport.sent.map((c) => c.conversationId).indexOf('19:a')).toBeLessThan(2);
  });

  test('sends respect the per-conversation limits', async () => {
    const clock = new FakeClock();
    const s = sender(new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, clock));
    await Promise.all(Array.from({ length: 9 }, () => s.send({ conversationId: '19:a' }, hello)));
    expect(transport.sent).toHaveLength(9);
    expect(clock.now()).toBe(2000);
  });
});
