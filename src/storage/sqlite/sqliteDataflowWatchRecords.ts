import { z } from 'zod';
import { type DataflowWatch, type DataflowWatchKey, type DataflowWatchRecords, dataflowWatchSchema, type StoredDataflowWatch } from '../../notifications/dataflowWatchStore';
import type { BotDatabase } from '../database';
import { readEach, type UnreadableRecord, warnUnreadable } from '../readEach';
import { VersionedWatchRows } from './versionedWatchRows';

const bodyRow = z.object({ body: z.string() });
const keyOf = (row: unknown) => { const r = row as { conversation_id?: unknown; dataflow_id?: unknown }; return `${String(r.conversation_id)}|${String(r.dataflow_id)}`; };
const toWatch = (row: unknown): DataflowWatch => dataflowWatchSchema.parse(JSON.parse(bodyRow.parse(row).body));

/**
 * Dataflow watches, their report records and the environments' cursors in the bot's SQLite database. A watch's
 * `version` counts its writes: an update or a removal applies only over the version it was read at.
 */
export class SqliteDataflowWatchRecords implements DataflowWatchRecords {
  private readonly sql;
  private readonly rows: VersionedWatchRows<DataflowWatch>;
  private readonly reportAll: (key: DataflowWatchKey, refreshIds: readonly string[], at: string) => void;

  constructor(db: BotDatabase, private readonly unreadable: UnreadableRecord = warnUnreadable) {
    this.rows = new VersionedWatchRows(db, 'dataflow_watches', 'dataflow_id', dataflowWatchSchema);
    this.sql = {
      listAll: db.prepare('SELECT conversation_id, dataflow_id, body FROM dataflow_watches ORDER BY conversation_id, dataflow_id'),
      listIn: db.prepare('SELECT conversation_id, dataflow_id, body FROM dataflow_watches WHERE conversation_id = ? ORDER BY dataflow_id'),
      reported: db.prepare('SELECT refresh_id FROM dataflow_watch_reports WHERE dataflow_id = ? AND conversation_id = ? AND refresh_id IN (SELECT value FROM json_each(?))').pluck(),
      report: db.prepare('INSERT OR IGNORE INTO dataflow_watch_reports (dataflow_id, conversation_id, refresh_id, reported_at) VALUES (?, ?, ?, ?)'),
      prune: db.prepare('DELETE FROM dataflow_watch_reports WHERE reported_at < ?'),
      cursor: db.prepare('SELECT ended_at FROM dataflow_cursors WHERE environment = ?').pluck(),
      // ISO 8601 in UTC sorts as text: max() keeps the later of two instances' cursors.
      advance: db.prepare('INSERT INTO dataflow_cursors (environment, ended_at) VALUES (?, ?) ON CONFLICT(environment) DO UPDATE SET ended_at = max(ended_at, excluded.ended_at)'),
    };
    this.reportAll = db.transaction((key: DataflowWatchKey, refreshIds: readonly string[], at: string) => {
      for (const id of refreshIds) this.sql.report.run(key.dataflowId, key.conversationId, id, at);
    });
  }

  async get(key: DataflowWatchKey): Promise<StoredDataflowWatch | undefined> {
    return this.rows.get(key.dataflowId, key.conversationId);
  }

  async put(watch: DataflowWatch, version: string | undefined): Promise<boolean> {
    return this.rows.put(watch.dataflowId, watch.conversationId, watch, version);
  }

  async remove(key: DataflowWatchKey, version: string): Promise<boolean> {
    return this.rows.remove(key.dataflowId, key.conversationId, version);
  }

  async list(conversationId?: string): Promise<DataflowWatch[]> {
    const rows = conversationId === undefined ? this.sql.listAll.all() : this.sql.listIn.all(conversationId);
    return readEach(rows, toWatch, { table: 'dataflow_watches', keyOf }, this.unreadable);
  }

  async reported(key: DataflowWatchKey, refreshIds: readonly string[]): Promise<Set<string>> {
    if (refreshIds.length === 0) return new Set();
    return new Set(this.sql.reported.all(key.dataflowId, key.conversationId, JSON.stringify(refreshIds)) as string[]);
  }

  async markReported(key: DataflowWatchKey, refreshIds: readonly string[], at: string): Promise<void> {
    this.reportAll(key, refreshIds, at);
  }

  async pruneReports(before: string): Promise<number> {
    return this.sql.prune.run(before).changes;
  }

  async cursor(environmentName: string): Promise<string | undefined> {
    return (this.sql.cursor.get(environmentName) as string | undefined) ?? undefined;
  }

  async advanceCursor(environmentName: string, endedAt: string): Promise<void> {
    this.sql.advance.run(environmentName, endedAt);
  }
}
