import { ActivityTypes, TurnContext } from 'botbuilder';
import { AdaptiveCardJson, cardAttachment } from '../../render/cardRenderer';
import { answeredSetupCard, type AnsweredStep } from '../../render/setupCards';
import { turnLogger } from '../../teams/turnLogger';
import { wordsOf } from '../../teams/say';

/** Sends a card as a new message; its message id, when the channel gives one. */
async function send(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  const sent = await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
  return sent?.id || undefined;
}

/** Replaces the card of message `id`; false (logged) when it cannot, e.g. a message too old to edit. */
async function update(context: TurnContext, id: string, card: AdaptiveCardJson): Promise<boolean> {
  try {
    await context.updateActivity({ id, type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    return true;
  } catch (err) {
    // Only the status and code: a connector error carries the request, and with it the bot's token.
    const e = err as { statusCode?: number; code?: string } | null;
    turnLogger(context)?.warn({ cardActivityId: id, status: e?.statusCode, code: e?.code }, 'could not update a setup card');
    return false;
  }
}

/** Shows `card` in place of message `id`, or as a new message when there is none or it cannot be updated; the id it ends up in. */
async function replace(context: TurnContext, id: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
  if (id && (await update(context, id, card))) return id;
  return send(context, card);
}

/**
 * Freezes each listed card but `live`: it then says what was done there and has no buttons. Best-effort:
 * a card that cannot be updated stays as it was (a click on it is answered as stale). Repeats are skipped.
 */
async function freeze(context: TurnContext, live: string | undefined, cards: Array<[id: string | undefined, answer: AnsweredStep]>): Promise<void> {
  const done = new Set([live]);
  for (const [id, answer] of cards) {
    if (!id || done.has(id)) continue;
    done.add(id);
    await update(context, id, answeredSetupCard(answer, wordsOf(context)));
  }
}

/** How the setup dialog shows its cards: sent, replaced in place, or frozen once answered. */
export const flowCards = { send, replace, freeze };
