import type { Storage, StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../logger';
import { whyOf } from './readEach';
import { type BotStateStore, StateSetAside, type StoredText } from './stateStores';

/** What every bot state value is, whatever else its schema asks: a JSON object (botbuilder spreads it, and adds its eTag). */
const stateObject = z.record(z.string(), z.unknown());

/** Where a value that no longer reads back is kept: under a key no turn reads, named by when and by the key it had. */
export const asideKeyOf = (key: string, at: Date): string => `unreadable/${at.toISOString()}/${key}`;

/** The value of a stored text, or why it does not read back. The schema only checks: a value is used as stored. */
function valueOf(text: string, schema: z.ZodType): { value: Record<string, unknown> } | { why: unknown } {
  try {
    const value = stateObject.parse(JSON.parse(text));
    schema.parse(value);
    return { value };
  } catch (why) {
    return { why };
  }
}

/**
 * botbuilder Storage over a backend's stored texts, with the one rule, for every backend, of what reads back: a JSON
 * object that `schema` accepts (the bot's: what its features keep; by default any object). A value that does not (cut
 * short, hand-edited, or written by a newer release and read after a roll-back) failed every turn that read it, and so
 * locked its person out. Now it is set aside as it is, under a key of its own, logged by key (never by content), and
 * the read fails with StateSetAside, which the turn answers: the next read finds nothing there, and that turn works.
 * A value that reads back is returned as stored.
 */
export function readableState(store: BotStateStore, logger: Logger, { schema = stateObject, now = () => new Date() }: { schema?: z.ZodType; now?: () => Date } = {}): Storage {
  /** The value moved aside (unless it changed meanwhile) and reported: what the read then fails with. */
  const setAside = async (key: string, read: StoredText, why: unknown): Promise<StateSetAside> => {
    const asideKey = asideKeyOf(key, now());
    if (await store.setAside(key, read, asideKey)) {
      logger.warn({ store: 'botState', key, setAsideAs: asideKey, ...whyOf(why) }, 'a bot state value no longer reads back: set aside, and its person told to start again');
    } else {
      logger.warn({ store: 'botState', key, ...whyOf(why) }, 'a bot state value no longer reads back, and changed since it was read: left to the next read');
    }
    return new StateSetAside(key);
  };
  return {
    async read(keys: string[]): Promise<StoreItems> {
      const items: StoreItems = {};
      for (const [key, read] of Object.entries(await store.readTexts(keys))) {
        const found = valueOf(read.text, schema);
        if ('why' in found) throw await setAside(key, read, found.why);
        items[key] = { ...found.value, eTag: read.eTag };
      }
      return items;
    },
    write: (changes) => store.write(changes),
    delete: (keys) => store.delete(keys),
  };
}
