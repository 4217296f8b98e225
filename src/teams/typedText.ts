import type { Activity } from 'botbuilder';

/** Teams' markup of an @mention in a message's text. */
const MENTION_TAG = /<at>[^<]*<\/at>/g;

/**
 * What a person typed in a message, without the bot's @mention (nor any other `<at>` tag). It reads
 * whatever shape the sender posted, as botbuilder's `TurnContext.removeRecipientMention` does not: no
 * `recipient`, `entities` that is no list, a mention without `mentioned`, text that is no string (then
 * nothing was typed). The activity is left as it came.
 */
export function typedText(activity: Partial<Activity>): string {
  if (typeof activity.text !== 'string') return '';
  const botId: unknown = activity.recipient?.id;
  const entities: unknown[] = Array.isArray(activity.entities) ? activity.entities : [];
  const mention = entities.find((e): e is { text: string } => {
    const entity = e as { type?: unknown; text?: unknown; mentioned?: { id?: unknown } } | null;
    return typeof entity?.type === 'string' && entity.type.toLowerCase() === 'mention' && typeof entity.text === 'string'
      && entity.text !== '' && botId !== undefined && entity.mentioned?.id === botId;
  });
  const text = mention ? activity.text.replace(mention.text, '') : activity.text;
  return text.replace(MENTION_TAG, '').trim();
}
