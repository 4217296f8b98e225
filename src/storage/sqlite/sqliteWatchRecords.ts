import { z } from 'zod';
import { Watch, WatchKey, WatchRecords, watchSchema } from '../../notifications/watchStore';
import { BotDatabase } from '../database';

const bodyRow = z.object({ body: z.string() });
const toWatch = (row: unknown): Watch => watchSchema.parse(JSON.parse(bodyRow.parse(row).body));

/** The embedded default: watches and report records in the bot's SQLite database. */
export class SqliteWatchRecords implements WatchRecords {
  constructor(private readonly db: BotDatabase) {}

  async get(key: WatchKey): Promise<Watch | undefined> {
    const row = this.db.prepare('SELECT body FROM run_watches WHERE project_name = ? AND conversation_id = ?').get(key.projectName, key.conversationId);
    return row ? toWatch(row) : undefined;
  }

  async put(watch: Watch): Promise<void> {
    this.db.prepare('INSERT INTO run_watches (project_name, conversation_id, body) VALUES (?, ?, ?) ON CONFLICT(project_name, conversation_id) DO UPDATE SET body = excluded.body')
      .run(watch.projectName, watch.conversationId, JSON.stringify(watch));
  }

  async list(conversationId?: string): Promise<Watch[]> {
    const rows = conversationId === undefined
      ? this.db.prepare('SELECT body FROM run_watches ORDER BY conversation_id, project_name').all()
      : this.db.prepare('SELECT body FROM run_watches WHERE conversation_id = ? ORDER BY project_name').all(conversationId);
    return rows.map(toWatch);
  }

  async reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>> {
    const stmt = this.db.prepare('SELECT 1 FROM run_watch_reports WHERE project_name = ? AND conversation_id = ? AND execution_id = ?');
    return new Set(executionIds.filter((id) => stmt.get(key.projectName, key.conversationId, id)));
  }

  async markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void> {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO run_watch_reports (project_name, conversation_id, execution_id, reported_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => executionIds.forEach((id) => stmt.run(key.projectName, key.conversationId, id, at)))();
  }

  async pruneReports(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM run_watch_reports WHERE reported_at < ?').run(before).changes;
  }
}
