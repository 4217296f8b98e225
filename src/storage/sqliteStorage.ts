import { randomUUID } from 'node:crypto';
import type { StoreItems } from 'botbuilder';
import type { Statement } from 'better-sqlite3';
import { BotDatabase } from './database';
import { SET_ASIDE_PREFIX, setAsideBefore } from './readableState';
import { type BotStateStore, ETagConflictError, type StoredText } from './stateStores';

interface Row { value: string; etag: string }

/**
 * Bot state on SQLite with optimistic concurrency: a write whose eTag is set (and is not "*") succeeds only if it
 * matches the stored one; every write gets a new eTag. Read as stored text (readableState.ts parses it).
 */
export class SqliteStorage implements BotStateStore {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly rename;
  /** Prepared on first use: the housekeeping's, once a minute. */
  private pruneAside?: Statement;

  constructor(private readonly db: BotDatabase) {
    this.select = db.prepare<[string], Row>('SELECT value, etag FROM state WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO state (key, value, etag, updated_at) VALUES (@key, @value, @etag, @now)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM state WHERE key = ?');
    this.rename = db.prepare('UPDATE state SET key = @asideKey WHERE key = @key AND etag = @etag');
  }

  async readTexts(keys: string[]): Promise<Record<string, StoredText>> {
    const texts: Record<string, StoredText> = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row) texts[key] = { text: row.value, eTag: row.etag };
    }
    return texts;
  }

  /** One transaction: the row keeps its text and eTag under its new key (and `rest` takes its place), or stays where it is if it changed. */
  async setAside(key: string, read: StoredText, asideKey: string, rest?: string): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.rename.run({ key, asideKey, etag: read.eTag }).changes !== 1) return false;
      if (rest !== undefined) this.upsert.run({ key, value: rest, etag: randomUUID(), now: new Date().toISOString() });
      return true;
    })();
  }

  /** The keys set aside sort by when (readableState.ts): a range of the primary key, the oldest first. */
  async pruneSetAside(before: Date, max: number): Promise<number> {
    this.pruneAside ??= this.db.prepare('DELETE FROM state WHERE key IN (SELECT key FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?)');
    return this.pruneAside.run(SET_ASIDE_PREFIX, setAsideBefore(before), max).changes;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...value } = (item ?? {}) as { eTag?: string };
        if (eTag && eTag !== '*') {
          const current = this.select.get(key);
          if (!current || current.etag !== eTag) throw new ETagConflictError(key);
        }
        this.upsert.run({ key, value: JSON.stringify(value), etag: randomUUID(), now });
      }
    })();
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => keys.forEach((k) => this.remove.run(k)))();
  }
}
