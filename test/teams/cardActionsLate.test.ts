import { Writable } from 'node:stream';
import { type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, TestAdapter, type TurnContext } from 'botbuilder';
import { BackgroundWork } from '../../src/features/backgroundWork';
import { createLogger } from '../../src/logger';
import type { ConversationRecord, ConversationReferenceStore } from '../../src/notifications/conversationReferenceStore';
import { type DeliveryResult, ProactiveSender, type SendTarget } from '../../src/notifications/proactiveSender';
import { type ConversationTransport, DeliveryError, type OutboundActivity } from '../../src/notifications/outbound';
import { cardMessage } from '../../src/render/cardRenderer';
import { type ActionReply, asInvoke, type CardAction } from '../../src/teams/cardActions';
import { replyText } from '../../src/teams/say';

const THREAD = '19:general@thread.tacv2;messageid=1700000000000';
/** A value the turn keeps in its state (as the adapter keeps its connector there), read by the action after the turn. */
const MARK = Symbol('mark');

/** Records what the late delivery sends; `failing`: every delivery fails as the sender reports it. */
function fakeSender(failing = false) {
  const calls: Array<{ kind: 'send' | 'update'; target: SendTarget | { conversationId: string; activityId: string }; activity: OutboundActivity }> = [];
  const result = (): DeliveryResult => (failing ? { status: 'failed', reason: 'connector down', unavailable: true } : { status: 'sent' });
  return {
    calls,
    send: async (target: SendTarget, activity: OutboundActivity) => { calls.push({ kind: 'send', target, activity }); return result(); },
    update: async (conversationId: string, activityId: string, activity: OutboundActivity) => { calls.push({ kind: 'update', target: { conversationId, activityId }, activity }); return result(); },
  };
}

/** Clicks a card in a channel thread through a real (revoked after it) turn; the invoke's answer. */
async function clickThrough(action: CardAction, late: Parameters<typeof asInvoke>[1], trigger: 'manual' | 'automatic' = 'manual'): Promise<AdaptiveCardInvokeResponse> {
  let answer: AdaptiveCardInvokeResponse | undefined;
  const invoke = asInvoke(action, late);
  const adapter = new TestAdapter(async (context) => {
    context.turnState.set(MARK, 'the turn\'s state');
    answer = await invoke(context, context.activity.value as AdaptiveCardInvokeValue);
  });
  await adapter.processActivity({
    type: 'invoke', name: 'adaptiveCard/action', id: 'click-1', replyToId: 'card-7', locale: 'en-US',
    conversation: { id: THREAD, name: 'General', conversationType: 'channel', isGroup: true }, from: { id: '29:ada', name: 'Ada' },
    value: { action: { type: 'Action.Execute', verb: 'stopWatching', data: {} }, trigger },
  });
  return answer!;
}

function logged() {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } }));
  return { lines, logger };
}

describe('a card action answered before it finished', () => {
  test('its reply follows in the thread, after its card replaced the clicked one for everyone; the action still reads its turn', async () => {
    const { logger } = logged();
    const background = new BackgroundWork(logger);
    const sender = fakeSender();
    let finish!: () => void;
    let stateAfterTurn: unknown;
    const card = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'Stopped' }] };
    const action: CardAction = async (context) => {
      await new Promise<void>((resolve) => { finish = resolve; });
      // The turn is over by now: its context must still answer (the person's words, the turn's state).
      stateAfterTurn = context.turnState.get(MARK);
      return { text: replyText(context, 'alert.paused', { project: 'AccSync' }), card, replacesCard: true } as ActionReply;
    };

    const answer = await clickThrough(action, { withinMs: 10, sender, background, logger });
    expect(answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/^Working on it/) });
    expect(sender.calls).toEqual([]);

    finish();
    await background.idle();
    expect(stateAfterTurn).toBe('the turn\'s state');
    expect(sender.calls).toEqual([
      { kind: 'update', target: { conversationId: '19:general@thread.tacv2', activityId: 'card-7' }, activity: cardMessage(card) },
      { kind: 'send', target: { conversationId: '19:general@thread.tacv2', replyToId: '1700000000000' }, activity: { type: 'message', text: expect.stringMatching(/^Paused the schedule of "AccSync"/) } },
    ]);
  });

  test('an action that fails late tells the person and logs ids, never what the error carried', async () => {
    const { lines, logger } = logged();
    const background = new BackgroundWork(logger);
    const sender = fakeSender();
    const action: CardAction = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw Object.assign(new Error('Bearer eyJsecret-token'), { statusCode: 502, request: { headers: { authorization: 'Bearer eyJsecret-token' } } });
    };

    await clickThrough(action, { withinMs: 0, sender, background, logger });
    await background.idle();

    expect(sender.calls.map((c) => c.activity.text)).toEqual([expect.stringMatching(/^Something went wrong on my side/)]);
    expect(lines.join('')).toMatch(/card action answered late failed/);
    expect(lines.join('')).not.toMatch(/eyJsecret/);
  });

  test('a late reply the sender cannot deliver is logged with the conversation and click', async () => {
    const { lines, logger } = logged();
    const background = new BackgroundWork(logger);
    const action: CardAction = async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { text: replyText(context, 'alert.paused', { project: 'AccSync' }) };
    };

    await clickThrough(action, { withinMs: 0, sender: fakeSender(true), background, logger });
    await background.idle();

    const line = JSON.parse(lines.find((l) => l.includes('its reply not delivered'))!);
    expect(line).toMatchObject({ delivery: 'failed', conversationId: THREAD, activityId: 'click-1' });
  });

  /** What the late delivery sends of an action that ends 50 ms after a click answered at once (`trigger`: how it came). */
  async function sentLate(reply: (context: TurnContext) => ActionReply, trigger?: 'manual' | 'automatic') {
    const { logger } = logged();
    const background = new BackgroundWork(logger);
    const sender = fakeSender();
    const action: CardAction = async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return reply(context);
    };
    await clickThrough(action, { withinMs: 0, sender, background, logger }, trigger);
    await background.idle();
    return sender.calls;
  }
  const card = (text: string) => ({ type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text }] });

  test('a late reply whose card is the answer (the picked environment\'s dataflows, the rejected records) posts that card after its text', async () => {
    const picking = card('Pick the dataflows');
    const thread = { conversationId: '19:general@thread.tacv2', replyToId: '1700000000000' };
    expect(await sentLate((context) => ({ text: replyText(context, 'dataflow.pick.title'), card: picking, postCardOnSubmit: true }))).toEqual([
      { kind: 'send', target: thread, activity: { type: 'message', text: expect.any(String) } },
      { kind: 'send', target: thread, activity: cardMessage(picking) },
    ]);
  });

  // Someone deleted the alert the thread began with: the sender posts the reply as a new thread (proactiveSender.ts).
  test('a late reply whose thread\'s first message was deleted posts its text as a new thread and its card in that thread, not in a second one', async () => {
    const { logger } = logged();
    const background = new BackgroundWork(logger);
    const posted: Array<{ thread?: string; replyToId?: string; what: string }> = [];
    const what = (a: OutboundActivity) => a.text ?? 'the card';
    const transport: ConversationTransport = {
      async send(_record, activity, replyToId) {
        if (replyToId === '1700000000000') throw new DeliveryError('Message does not exist in the thread.', 404, 'ActivityNotFoundInConversation');
        posted.push({ replyToId, what: what(activity) });
        return { id: `reply-${posted.length}` };
      },
      async update() { /* not asked */ },
      async startThread(_record, activity) {
        posted.push({ thread: `root-${posted.length + 1}`, what: what(activity) });
        return { threadId: `root-${posted.length}` };
      },
    };
    const channel: ConversationRecord = {
      conversationId: '19:general@thread.tacv2', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversationType: 'channel',
      reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: '19:general@thread.tacv2' } },
    };
    const refs = { get: async () => channel } as unknown as ConversationReferenceStore;
    const sender = new ProactiveSender({ refs, transport, retry: { maxAttempts: 1 } });
    const action: CardAction = async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { text: replyText(context, 'dataflow.pick.title'), card: card('Pick the dataflows'), postCardOnSubmit: true };
    };
    await clickThrough(action, { withinMs: 0, sender, background, logger });
    await background.idle();
    expect(posted).toEqual([
      { thread: 'root-1', what: expect.any(String) },
      { replyToId: 'root-1', what: 'the card' },
    ]);
  });

  test('an automatic refresh answered late posts nothing in the thread (nobody clicked; the next view refreshes again)', async () => {
    expect(await sentLate((context) => ({ text: replyText(context, 'approval.waiting'), card: card('Waiting for approval') }), 'automatic')).toEqual([]);
  });

  test('an action that ends within the bound answers as before and sends nothing', async () => {
    const { logger } = logged();
    const background = new BackgroundWork(logger);
    const sender = fakeSender();
    const card = { type: 'AdaptiveCard' as const, version: '1.5', body: [] };
    const answer = await clickThrough(async (context) => ({ text: replyText(context, 'alert.paused', { project: 'AccSync' }), card }), { withinMs: 60_000, sender, background, logger });
    await background.idle();
    expect(answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
    expect(sender.calls).toEqual([]);
  });
});
