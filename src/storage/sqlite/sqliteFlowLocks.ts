import { FlowLocks } from '../../locks/flowLocks';
import type { Statement } from 'better-sqlite3';
import { BotDatabase } from '../database';

/** The embedded default: flow locks in the bot's SQLite database (one conditional upsert takes one). */
export class SqliteFlowLocks implements FlowLocks {
  private acquire?: Statement;
  private free?: Statement;
  private prune?: Statement;

  constructor(private readonly db: BotDatabase, private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const at = this.now();
    // Prepared once, on first use: every turn takes and frees a lock.
    this.acquire ??= this.db.prepare(`INSERT INTO flow_locks (key, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE flow_locks.expires_at <= ? OR flow_locks.owner = excluded.owner`);
    const result = this.acquire.run(key, owner, at + ttlMs, at);
    return result.changes === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    this.free ??= this.db.prepare('DELETE FROM flow_locks WHERE key = ? AND owner = ?');
    this.free.run(key, owner);
  }

  async pruneExpired(max: number): Promise<number> {
    this.prune ??= this.db.prepare('DELETE FROM flow_locks WHERE key IN (SELECT key FROM flow_locks WHERE expires_at < ? LIMIT ?)');
    return this.prune.run(this.now(), max).changes;
  }
}
