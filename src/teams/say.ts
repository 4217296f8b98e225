import type { TurnContext } from 'botbuilder';
import type { Speech } from '../words/saidSchema';
import { wordsFor, type MessageId, type Params, type ReplyText, type Said, type Words } from '../words/words';

const WORDS = Symbol('words');

/** The words of the person of this turn: their language (the activity's `locale`) and time zone (`localTimezone`). */
export function wordsOf(context: Pick<TurnContext, 'activity'> & { turnState?: TurnContext['turnState'] }): Words {
  let words = context.turnState?.get(WORDS) as Words | undefined;
  if (!words) context.turnState?.set(WORDS, (words = wordsFor(context.activity)));
  return words ?? wordsFor(context.activity);
}

/**
 * The language and time zone of this turn's person, to store on what speaks to them later (a watch's alerts, an
 * approval's cards): `wordsFor` reads it back as `wordsOf` resolves it now.
 */
export function speechOf(context: Pick<TurnContext, 'activity'>): Speech {
  return { locale: context.activity.locale, localTimezone: context.activity.localTimezone };
}

/** The plain-text reply of a message of the catalogue, in the person's words. */
export function replyText(context: TurnContext, message: MessageId | Said, params?: Params): ReplyText {
  return wordsOf(context).reply(message, params);
}

/** Replies with a message of the catalogue, in the person's words: the one way a turn answers in text. */
export async function say(context: TurnContext, message: MessageId | Said, params?: Params): Promise<void> {
  await context.sendActivity(replyText(context, message, params));
}
