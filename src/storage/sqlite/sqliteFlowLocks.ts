import { FlowLocks } from '../flowLocks';
import { BotDatabase } from '../database';

/** The embedded default: flow locks in the bot's SQLite database (one conditional upsert takes one). */
export class SqliteFlowLocks implements FlowLocks {
  constructor(private readonly db: BotDatabase, private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const at = this.now();
    const result = this.db
      .prepare(`INSERT INTO flow_locks (key, owner, expires_at) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE flow_locks.expires_at <= ?`)
      .run(key, owner, at + ttlMs, at);
    return result.changes === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    this.db.prepare('DELETE FROM flow_locks WHERE key = ? AND owner = ?').run(key, owner);
  }
}
