import { ExponentialBackoff, handleType, retry } from 'cockatiel';

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
 * Changes of one kind of watch without a shared lock (turns of different people, the watcher, background work and
 * other instances): each change is a function of the current record, written over the version it read, and read
 * and applied again when another write came between, so no writer wipes out another's change.
 */
export class WatchChanges<K, W extends K> {
  private readonly retries = retry(handleType(WatchConflictError), {
    maxAttempts: CHANGE_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 200 }),
  });

  constructor(
    private readonly records: VersionedWatchRecords<K, W>,
    private readonly schema: { parse(value: unknown): W },
    /** The fields of a key that name its watch in the error of a change that lost every try (a watch holds more, e.g. its owner). */
    private readonly idOf: (key: K) => readonly string[],
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
      const watch = this.schema.parse(wanted);
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

  /** Runs `attempt` (a read and a write over its version) until it lands, i.e. answers other than undefined. */
  again<T>(key: K, attempt: () => Promise<T | undefined>): Promise<T> {
    return this.retries.execute(async () => {
      const done = await attempt();
      if (done === undefined) throw new WatchConflictError(`the watch ${JSON.stringify(this.idOf(key))} changed under ${CHANGE_ATTEMPTS} writes in a row`);
      return done;
    });
  }
}
