import { ExponentialBackoff, handleType, retry } from 'cockatiel';
import { z } from 'zod';
import type { Logger } from '../logger';

/**
 * What this release's code sees of a record its loose schema read: the fields it knows, at every level, without the
 * index signature that lets a newer release's fields through at run time, so that a misspelt field does not compile.
 */
export type KnownFields<T> = T extends readonly (infer E)[]
  ? KnownFields<E>[]
  : T extends object ? { [P in keyof T as string extends P ? never : P]: KnownFields<T[P]> } : T;

/** A watch as read, with its version: an opaque token (an eTag, a counter) that a conditional write must match. */
export interface Stored<W> {
  watch: W;
  version: string;
}

/** Where one kind of watch is kept: written whole, and only over the version it was read at. */
export interface VersionedWatchRecords<K, W> {
  get(key: K): Promise<Stored<W> | undefined>;
  /** Writes the watch if its record is still at `version`, or is absent when `version` is undefined; false when another write came first. */
  put(watch: W, version: string | undefined): Promise<boolean>;
}

/** Another writer changed the watch between a change's read and its write (on every try, when it leaves the store). */
export class WatchConflictError extends Error {
  override readonly name = 'WatchConflictError';
}

/** How many times one change is read and applied before it gives up (each try loses only to a write that landed). */
const CHANGE_ATTEMPTS = 8;

/**
 * The longest watch written with a newer release's fields, in characters of JSON: Azure Tables keeps the record in one
 * property of 64 KiB, in UTF-16. A longer one is written with only the fields this release knows (what every release
 * before this rule wrote), so that no change of it fails on a size only a newer release's fields made.
 */
export const RECORD_MAX_CHARS = 32 * 1024;

/** `value` with only the fields `schema` names, at every level (objects, optional ones, arrays of them); the path of each other field goes to `dropped`. */
function knownFields(schema: z.ZodType, value: unknown, dropped: string[], path = ''): unknown {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return value == null ? value : knownFields(schema.unwrap() as z.ZodType, value, dropped, path);
  if (schema instanceof z.ZodArray && Array.isArray(value)) return value.map((v, i) => knownFields(schema.element as z.ZodType, v, dropped, `${path}${i}.`));
  if (!(schema instanceof z.ZodObject) || typeof value !== 'object' || value === null) return value;
  const shape = schema.shape as Record<string, z.ZodType>;
  const known: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key in shape) known[key] = knownFields(shape[key]!, v, dropped, `${path}${key}.`);
    else dropped.push(`${path}${key}`);
  }
  return known;
}

/**
 * Changes of one kind of watch without a shared lock (turns of different people, the watcher, background work and
 * other instances): each change is a function of the current record, written over the version it read, and read
 * and applied again when another write came between, so no writer wipes out another's change. That holds for a newer
 * release's changes too (a slot swap, a rolling update, a roll-back): the schema lets the fields it does not know
 * through, so they are written back as they were read, unless they alone would make the record too long (RECORD_MAX_CHARS).
 */
export class WatchChanges<K, W extends K> {
  private readonly retries = retry(handleType(WatchConflictError), {
    maxAttempts: CHANGE_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 200 }),
  });

  constructor(
    private readonly records: VersionedWatchRecords<K, W>,
    private readonly schema: z.ZodType<W>,
    /** The fields of a key that name its watch in the error of a change that lost every try (a watch holds more, e.g. its owner). */
    private readonly idOf: (key: K) => readonly string[],
    private readonly logger?: Logger,
  ) {}

  /**
   * Applies `next` to the watch as it is now (undefined: leave it) and writes the result over the version
   * it read; a write that came between makes it read and apply `next` again. Returns the watch as left.
   */
  apply(key: K, next: (current: W | undefined) => W | undefined): Promise<{ watch: W | undefined; changed: boolean }> {
    return this.again(key, async () => {
      const read = await this.records.get(key);
      const wanted = next(read?.watch);
      if (!wanted) return { watch: read?.watch, changed: false };
      const watch = this.fitted(key, this.schema.parse(wanted));
      return (await this.records.put(watch, read?.version)) ? { watch, changed: true } : undefined;
    });
  }

  /** Changes each of `watches` that `next` changes, each applied to it as it is now; returns how many it changed. */
  async each(watches: readonly W[], next: (w: W) => W | undefined): Promise<number> {
    let changed = 0;
    for (const w of watches) {
      if (!next(w)) continue;
      if ((await this.apply(w, (current) => current && next(current))).changed) changed += 1;
    }
    return changed;
  }

  /** The watch as written: with a newer release's fields, unless only without them it fits one stored record (said in the log, by field name). */
  private fitted(key: K, watch: W): W {
    if (JSON.stringify(watch).length <= RECORD_MAX_CHARS) return watch;
    const dropped: string[] = [];
    const known = knownFields(this.schema, watch, dropped) as W;
    if (dropped.length > 0) this.logger?.warn({ watch: this.idOf(key), dropped }, 'a watch too long to store with the fields a newer release added was written without them');
    return known;
  }

  /** Runs `attempt` (a read and a write over its version) until it lands, i.e. answers other than undefined. */
  again<T>(key: K, attempt: () => Promise<T | undefined>): Promise<T> {
    return this.retries.execute(async () => {
      const done = await attempt();
      if (done === undefined) throw new WatchConflictError(`the watch ${JSON.stringify(this.idOf(key))} changed under ${CHANGE_ATTEMPTS} writes in a row`);
      return done;
    });
  }
}
