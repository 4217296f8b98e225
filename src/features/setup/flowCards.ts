import { ActivityTypes, TurnContext } from 'botbuilder';
import { AdaptiveCardJson, cardAttachment } from '../../render/cardRenderer';
import { answeredSetupCard, type AnsweredStep } from '../../render/setupCards';
import { updateCard } from '../../teams/updateCard';
import { wordsOf } from '../../teams/say';

/** Sends a card as a new message; its message id, when the channel gives one. */
async function send(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  const sent = await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
  return sent?.id || undefined;
}

/** Shows `card` in place of message `id`, or as a new message when there is none or it cannot be updated; the id it ends up in. */
async function replace(context: TurnContext, id: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
  if (id && (await updateCard(context, id, card))) return id;
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
    await updateCard(context, id, answeredSetupCard(answer, wordsOf(context)));
  }
}

/** How the setup dialog shows its cards: sent, replaced in place, or frozen once answered. */
export const flowCards = { send, replace, freeze };
