import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../logger';
import { settledWithin } from '../settledWithin';
import type { ProactiveSender } from '../notifications/proactiveSender';
import { ADAPTIVE_CARD_CONTENT_TYPE, AdaptiveCardJson, cardMessage } from '../render/cardRenderer';
import type { ReplyText } from '../words/words';
import { sendCard, updateCard } from './cardMessages';
import { baseConversationId, threadRootOf } from './conversationIds';
import { replyText } from './say';
import { turnLogger, turnStartedAt } from './turnLogger';

/** What a card button answers: a card for the person who clicked (Universal Actions) and a line of text (Action.Submit). */
export interface ActionReply {
  card?: AdaptiveCardJson;
  text: ReplyText;
  /** On Action.Submit, post the card too (there is no per-person card to replace). */
  postCardOnSubmit?: boolean;
  /** The click ended what the clicked card offered: the card replaces it for everyone, so no button is left that no longer acts. */
  replacesCard?: boolean;
}

/** One card action, written once for both Action.Execute and its Action.Submit fallback. */
export type CardAction = (context: TurnContext, data: Record<string, unknown>) => Promise<ActionReply>;

/** Handles the `adaptiveCard/action` invoke of one verb. */
export type InvokeHandler = (context: TurnContext, value: AdaptiveCardInvokeValue) => Promise<AdaptiveCardInvokeResponse>;

/** Handles an Action.Submit message of one verb. */
export type SubmitHandler = (context: TurnContext) => Promise<void>;

/**
 * How long after a click arrived its Action.Execute is answered, finished or not. Teams shows the clicker "Unable to
 * reach app" when the answer takes longer than a few seconds (Microsoft's support names 5 s for card actions; the Bot
 * Service itself gives up after about 15 s), although the action goes on. 4 s leaves a second for the answer's way
 * back through the Bot Connector. Counted from the click's arrival, so the wait for the person's lock counts too.
 */
export const INVOKE_ANSWER_MS = 4_000;

/** How a click not finished in time is answered, and its reply delivered once the action ends. */
export interface LateAnswers {
  /** The bound: INVOKE_ANSWER_MS (tests shorten it). */
  withinMs: number;
  /** Posts the late reply and replaces the clicked card, through the conversation's saved reference (a proactive turn). */
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  /** Work after the turn ended: shutdown waits for it. */
  background: { run(what: string, work: () => Promise<unknown>): void };
  logger: Logger;
}

const dataSchema = z.record(z.string(), z.unknown());

/** The clicked message (Teams names it in replyToId) shows the reply's card to everyone, when the reply says so. */
async function replaceForEveryone(context: TurnContext, reply: ActionReply): Promise<void> {
  if (reply.replacesCard && reply.card && context.activity.replyToId) await updateCard(context, context.activity.replyToId, reply.card);
}

/** The answer of an action that finished in time: its card replaces the clicker's copy (and everyone's, when it says so), or Teams shows its text. */
async function answered(context: TurnContext, reply: ActionReply): Promise<AdaptiveCardInvokeResponse> {
  await replaceForEveryone(context, reply);
  return reply.card
    ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: reply.card as unknown as Record<string, unknown> }
    : textAnswer(reply.text);
}

const textAnswer = (text: ReplyText): AdaptiveCardInvokeResponse =>
  ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as Record<string, unknown> });

/**
 * The turn's context, still usable after the turn: botbuilder revokes the one it hands the bot once the turn ends,
 * and an action answered late goes on after that. TurnContext's own copy leaves the turn's state behind (its copyTo
 * names a field that is now `_turnState`), so the copy is given the turn's state collection: the same connector,
 * token client, logger and bot state as the turn, on time or late.
 */
function outliving(context: TurnContext): TurnContext {
  const copy = new TurnContext(context);
  Object.assign(copy, { _turnState: context.turnState });
  return copy;
}

/**
 * Delivers the reply of a click answered before it finished: its text as a message where the card is (its thread in
 * a channel), and its card in place of the clicked one when the reply says so, or after the text when the card is the
 * answer (`postCardOnSubmit`). A failure is logged with ids only; an automatic refresh's reply is not posted.
 */
async function deliverLate(late: LateAnswers, log: Logger, at: { conversationId: string; cardId?: string; refresh: boolean }, acting: Promise<ActionReply>, failed: ReplyText): Promise<void> {
  const conversationId = baseConversationId(at.conversationId);
  let reply: ActionReply;
  try {
    reply = await acting;
  } catch (err) {
    // Only the status and code: a connector error carries the request, and with it the bot's token.
    const e = err as { statusCode?: number; code?: string; name?: string } | null;
    log.error({ error: e?.name, status: e?.statusCode, code: e?.code }, 'card action answered late failed');
    reply = { text: failed };
  }
  // A card's automatic refresh is one person's view, asked for by Teams as the card came into sight: nothing to tell the conversation.
  if (at.refresh) return;
  const replaced = Boolean(reply.replacesCard && reply.card && at.cardId);
  if (replaced) {
    const updated = await late.sender.update(conversationId, at.cardId!, cardMessage(reply.card!));
    if (updated.status !== 'sent') log.warn({ cardActivityId: at.cardId, delivery: updated.status }, 'late card action: the clicked card not replaced');
  }
  const thread = { conversationId, replyToId: threadRootOf(at.conversationId) };
  const sent = await late.sender.send(thread, { type: 'message', text: reply.text });
  if (sent.status !== 'sent') log.warn({ delivery: sent.status }, 'late card action: its reply not delivered');
  // A card that is the answer (the next step's card, the rejected records) is posted, as on Action.Submit: no clicker's copy to replace is left.
  if (reply.postCardOnSubmit && reply.card && !replaced) {
    // The text started a new thread (the old one's first message was deleted): the card follows it there, not in a thread of its own.
    const cardThread = sent.status === 'sent' && sent.threadId ? { conversationId, replyToId: sent.threadId } : thread;
    const posted = await late.sender.send(cardThread, cardMessage(reply.card));
    if (posted.status !== 'sent') log.warn({ delivery: posted.status }, 'late card action: its card not delivered');
  }
}

/**
 * Adapts an action to the invoke: its card replaces the clicker's copy, or Teams shows its text. With `late`, an action
 * not finished within the bound is answered "working on it" and goes on; its reply follows as a message (the action is
 * idempotent: a click Teams sends again while it runs does not act twice).
 */
export function asInvoke(action: CardAction, late?: LateAnswers): InvokeHandler {
  return async (context, value) => {
    const data = dataSchema.catch({}).parse(value.action?.data);
    if (!late) return answered(context, await action(context, data));
    const acting = action(outliving(context), data);
    const inTime = await settledWithin(acting, late.withinMs - (Date.now() - (turnStartedAt(context) ?? Date.now())));
    if (inTime) return answered(context, inTime.value);
    const refresh = (value as { trigger?: unknown }).trigger === 'automatic';
    const at = { conversationId: context.activity.conversation.id, cardId: context.activity.replyToId, refresh };
    // The turn's logger carries the conversation and click ids; without one (no middleware), they are added here.
    const log = turnLogger(context) ?? late.logger.child({ conversationId: at.conversationId, activityId: context.activity.id });
    log.info({ verb: value.action?.verb, withinMs: late.withinMs }, 'card action not finished in time: answered, its reply follows as a message');
    late.background.run('card action answered late', () => deliverLate(late, log, at, acting, replyText(context, 'error.turnFailed')));
    return textAnswer(replyText(context, 'card.workingOnIt'));
  };
}

/** Adapts an action to Action.Submit (clients without Universal Actions): it replies with the text. */
export function asSubmit(action: CardAction): SubmitHandler {
  return async (context) => {
    const reply = await action(context, dataSchema.catch({}).parse(context.activity.value));
    await context.sendActivity(reply.text);
    await replaceForEveryone(context, reply);
    if (reply.postCardOnSubmit && reply.card) await sendCard(context, reply.card);
  };
}
