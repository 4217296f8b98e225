import type { Storage, StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../logger';
import { whyOf } from './readEach';
import { type BotStateStore, StateSetAside, type StoredText } from './stateStores';

/** What every bot state value is, whatever else its schema asks: a JSON object (botbuilder spreads it, and adds its eTag). */
const stateObject = z.record(z.string(), z.unknown());

/** Where every value set aside is kept: the keys under it sort by when they were set aside (a time in one format). */
export const SET_ASIDE_PREFIX = 'unreadable/';
/** What every key set aside before `at` sorts below, and every key set aside at or after it sorts above. */
export const setAsideBefore = (at: Date): string => `${SET_ASIDE_PREFIX}${at.toISOString()}`;
/** Where a value that no longer reads back is kept: under a key no turn reads, named by when and by the key it had. */
export const asideKeyOf = (key: string, at: Date): string => `${setAsideBefore(at)}/${key}`;
/**
 * How long a value set aside is kept (storeHousekeeping.ts removes it then): long enough to look into after a roll-back
 * or a bad release, not for ever (it holds what a person chose in a setup; the privacy page states this figure).
 */
export const SET_ASIDE_KEPT_DAYS = 30;

/** The properties of a value that read back, and the names of those that do not. */
interface Readable { rest: Record<string, unknown>; removed: string[] }

/** What of a stored text reads back: its value; or why not and, when only some of its properties fail, the others. */
type Found = { value: Record<string, unknown> } | { why: unknown; readable?: Readable };

/** The value of a stored text, or why it does not read back. The schema only checks: a value is used as stored. */
function valueOf(text: string, schema: z.ZodType): Found {
  let value: Record<string, unknown>;
  try {
    value = stateObject.parse(JSON.parse(text));
  } catch (why) {
    return { why };
  }
  const checked = schema.safeParse(value);
  return checked.success ? { value } : { why: checked.error, readable: withoutFailing(value, checked.error, schema) };
}

/**
 * The value without the properties the schema failed on, when each issue lies inside one of them and what is left
 * has anything and reads back; otherwise undefined (the whole value goes). A key holds more than one thing (a person's
 * open setup, and their finished setups whose step-5 cards still work): one that no longer reads back takes only itself.
 */
function withoutFailing(value: Record<string, unknown>, error: z.ZodError, schema: z.ZodType): Readable | undefined {
  const removed = [...new Set(error.issues.map((issue) => issue.path[0]))];
  if (!removed.every((property) => typeof property === 'string')) return undefined;
  const rest = Object.fromEntries(Object.entries(value).filter(([property]) => !removed.includes(property)));
  return Object.keys(rest).length > 0 && schema.safeParse(rest).success ? { rest, removed } : undefined;
}

/**
 * botbuilder Storage over a backend's stored texts, with the one rule, for every backend, of what reads back: a JSON
 * object that `schema` accepts (the bot's: what its features keep; by default any object). A value that does not (cut
 * short, hand-edited, or written by a newer release and read after a roll-back) failed every turn that read it, and so
 * locked its person out. Now it is set aside as it is, under a key of its own, logged by key (never by content), and
 * the read fails with StateSetAside, which the turn answers. The next read finds nothing there, and that turn works;
 * or, for a JSON object of which only some properties fail (a setup at a newer release's step), the others: a copy
 * of the whole value is set aside, and the value is rewritten without those properties.
 * A value that reads back is returned as stored.
 */
export function readableState(store: BotStateStore, logger: Logger, { schema = stateObject, now = () => new Date() }: { schema?: z.ZodType; now?: () => Date } = {}): Storage {
  /** The value moved aside (its readable rest left in its place), unless it changed meanwhile, and reported: what the read then fails with. */
  const setAside = async (key: string, read: StoredText, { why, readable }: { why: unknown; readable?: Readable }): Promise<StateSetAside> => {
    const asideKey = asideKeyOf(key, now());
    if (await store.setAside(key, read, asideKey, readable && JSON.stringify(readable.rest))) {
      // Of what was removed, only the names (the schema's own properties), never what they held.
      logger.warn({ store: 'botState', key, setAsideAs: asideKey, ...(readable && { removed: readable.removed }), ...whyOf(why) }, 'a bot state value no longer reads back: set aside, and its person told to start again');
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
        if ('why' in found) throw await setAside(key, read, found);
        items[key] = { ...found.value, eTag: read.eTag };
      }
      return items;
    },
    write: (changes) => store.write(changes),
    delete: (keys) => store.delete(keys),
  };
}
