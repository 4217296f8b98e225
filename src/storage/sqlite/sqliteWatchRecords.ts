import { z } from 'zod';
import { StoredWatch, Watch, WatchKey, WatchRecords, watchSchema } from '../../notifications/watchStore';
import { BotDatabase } from '../database';
import { readEach, type UnreadableRecord, warnUnreadable } from '../readEach';
import { VersionedWatchRows } from './versionedWatchRows';

const bodyRow = z.object({ body: z.string() });
const keyOf = (row: unknown) => { const r = row as { conversation_id?: unknown; project_name?: unknown }; return `${String(r.conversation_id)}|${String(r.project_name)}`; };
/** How many watches are parsed before other work gets a turn. */
const PARSE_SLICE = 500;
const toWatch = (row: unknown): Watch => watchSchema.parse(JSON.parse(bodyRow.parse(row).body));

/**
 * The embedded default: watches and report records in the bot's SQLite database. Statements are prepared
 * once. A watch's `version` counts its writes: an update applies only over the version it was read at.
 */
export class SqliteWatchRecords implements WatchRecords {
  private readonly sql;
  private readonly rows: VersionedWatchRows<Watch>;

  constructor(db: BotDatabase, private readonly unreadable: UnreadableRecord = warnUnreadable) {
    this.rows = new VersionedWatchRows(db, 'run_watches', 'project_name', watchSchema);
    this.sql = {
      listAll: db.prepare('SELECT conversation_id, project_name, body FROM run_watches ORDER BY conversation_id, project_name'),
      listIn: db.prepare('SELECT conversation_id, project_name, body FROM run_watches WHERE conversation_id = ? ORDER BY project_name'),
      // One query per watch, whatever the number of runs asked about.
      reported: db.prepare('SELECT execution_id FROM run_watch_reports WHERE project_name = ? AND conversation_id = ? AND execution_id IN (SELECT value FROM json_each(?))').pluck(),
      report: db.prepare('INSERT OR IGNORE INTO run_watch_reports (project_name, conversation_id, execution_id, reported_at) VALUES (?, ?, ?, ?)'),
      prune: db.prepare('DELETE FROM run_watch_reports WHERE reported_at < ?'),
    };
    this.reportAll = db.transaction((key: WatchKey, executionIds: readonly string[], at: string) => {
      for (const id of executionIds) this.sql.report.run(key.projectName, key.conversationId, id, at);
    });
  }

  private readonly reportAll: (key: WatchKey, executionIds: readonly string[], at: string) => void;

  async get(key: WatchKey): Promise<StoredWatch | undefined> {
    return this.rows.get(key.projectName, key.conversationId);
  }

  async put(watch: Watch, version: string | undefined): Promise<boolean> {
    return this.rows.put(watch.projectName, watch.conversationId, watch, version);
  }

  async list(conversationId?: string): Promise<Watch[]> {
    const rows = conversationId === undefined ? this.sql.listAll.all() : this.sql.listIn.all(conversationId);
    // Thousands of watches are read back in slices, so that users' turns are not held while they are checked.
    const watches: Watch[] = [];
    for (let i = 0; i < rows.length; i += PARSE_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      watches.push(...readEach(rows.slice(i, i + PARSE_SLICE), toWatch, { table: 'run_watches', keyOf }, this.unreadable));
    }
    return watches;
  }

  async reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>> {
    if (executionIds.length === 0) return new Set();
    return new Set(this.sql.reported.all(key.projectName, key.conversationId, JSON.stringify(executionIds)) as string[]);
  }

  async markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void> {
    this.reportAll(key, executionIds, at);
  }

  async pruneReports(before: string): Promise<number> {
    return this.sql.prune.run(before).changes;
  }
}
