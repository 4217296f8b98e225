import type { TurnContext } from 'botbuilder';
import { AdaptiveCardJson, cardMessage } from '../render/cardRenderer';
import { turnLogger } from './turnLogger';

/** Sends a card as a new message; its message id, when the channel gives one. */
export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  const sent = await context.sendActivity(cardMessage(card));
  return sent?.id || undefined;
}

/** Replaces the card of message `id` for everyone; false (logged) when it cannot, e.g. a message too old to edit. */
export async function updateCard(context: TurnContext, id: string, card: AdaptiveCardJson): Promise<boolean> {
  try {
    await context.updateActivity({ id, ...cardMessage(card) });
    return true;
  } catch (err) {
    // Only the status and code: a connector error carries the request, and with it the bot's token.
    const e = err as { statusCode?: number; code?: string } | null;
    turnLogger(context)?.warn({ cardActivityId: id, status: e?.statusCode, code: e?.code }, 'could not update a card');
    return false;
  }
}

/** Shows `card` in place of message `id`, or as a new message when there is none or it cannot be updated; the id it ends up in. */
export async function replaceCard(context: TurnContext, id: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
  if (id && (await updateCard(context, id, card))) return id;
  return sendCard(context, card);
}
