import { randomUUID } from 'node:crypto';
import { Storage, StoreItems } from 'botbuilder';
import { BotDatabase } from './database';
import { ETagConflictError } from './stateStores';

interface Row { value: string; etag: string }

/**
 * botbuilder Storage on SQLite with optimistic concurrency: a write whose eTag is set
 * (and is not "*") succeeds only if it matches the stored one; every write gets a new eTag.
 */
export class SqliteStorage implements Storage {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(private readonly db: BotDatabase) {
    this.select = db.prepare<[string], Row>('SELECT value, etag FROM state WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO state (key, value, etag, updated_at) VALUES (@key, @value, @etag, @now)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM state WHERE key = ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row) items[key] = { ...JSON.parse(row.value), eTag: row.etag };
    }
    return items;
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
