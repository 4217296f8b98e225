import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ADAPTIVE_CARD_CONTENT_TYPE, AdaptiveCardJson } from '../render/cardRenderer';
import type { ReplyText } from '../words/words';
import { sendCard, updateCard } from './cardMessages';

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

const dataSchema = z.record(z.string(), z.unknown());

/** The clicked message (Teams names it in replyToId) shows the reply's card to everyone, when the reply says so. */
async function replaceForEveryone(context: TurnContext, reply: ActionReply): Promise<void> {
  if (reply.replacesCard && reply.card && context.activity.replyToId) await updateCard(context, context.activity.replyToId, reply.card);
}

/** Adapts an action to the invoke: the card replaces the clicker's copy, or Teams shows the text. */
export function asInvoke(action: CardAction): InvokeHandler {
  return async (context, value) => {
    const reply = await action(context, dataSchema.catch({}).parse(value.action?.data));
    await replaceForEveryone(context, reply);
    return reply.card
      ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: reply.card as unknown as Record<string, unknown> }
      : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.text as unknown as Record<string, unknown> };
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
