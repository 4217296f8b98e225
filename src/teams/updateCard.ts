import { ActivityTypes, TurnContext } from 'botbuilder';
import { AdaptiveCardJson, cardAttachment } from '../render/cardRenderer';
import { turnLogger } from './turnLogger';

/** Replaces the card of message `id` for everyone; false (logged) when it cannot, e.g. a message too old to edit. */
export async function updateCard(context: TurnContext, id: string, card: AdaptiveCardJson): Promise<boolean> {
  try {
    await context.updateActivity({ id, type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    return true;
  } catch (err) {
    // Only the status and code: a connector error carries the request, and with it the bot's token.
    const e = err as { statusCode?: number; code?: string } | null;
    turnLogger(context)?.warn({ cardActivityId: id, status: e?.statusCode, code: e?.code }, 'could not update a card');
    return false;
  }
}
