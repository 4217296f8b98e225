import { z } from 'zod';
import type { Stored } from '../../notifications/watchChanges';
import type { BotDatabase } from '../database';

const versionedRow = z.object({ body: z.string(), version: z.number().int() });

/**
 * The watches of one table, keyed by (`keyColumn`, conversation_id), read with their `version`, which counts their
 * writes: an update or a removal applies only over the version it was read at (WatchChanges reads again otherwise).
 */
export class VersionedWatchRows<W> {
  private readonly sql;

  /** `table` and `keyColumn` are the code's own names, never input. */
  constructor(db: BotDatabase, table: 'run_watches' | 'dataflow_watches', keyColumn: 'project_name' | 'dataflow_id', private readonly schema: z.ZodType<W>) {
    const key = `${keyColumn} = ? AND conversation_id = ?`;
    this.sql = {
      get: db.prepare(`SELECT body, version FROM ${table} WHERE ${key}`),
      insert: db.prepare(`INSERT INTO ${table} (${keyColumn}, conversation_id, body) VALUES (?, ?, ?) ON CONFLICT(${keyColumn}, conversation_id) DO NOTHING`),
      update: db.prepare(`UPDATE ${table} SET body = ?, version = version + 1 WHERE ${key} AND version = ?`),
      remove: db.prepare(`DELETE FROM ${table} WHERE ${key} AND version = ?`),
    };
  }

  get(id: string, conversationId: string): Stored<W> | undefined {
    const row = this.sql.get.get(id, conversationId);
    if (!row) return undefined;
    const { body, version } = versionedRow.parse(row);
    return { watch: this.schema.parse(JSON.parse(body)), version: String(version) };
  }

  /** Inserts where none is (`version` undefined) or updates over `version`; false when another write came first. */
  put(id: string, conversationId: string, watch: W, version: string | undefined): boolean {
    const body = JSON.stringify(watch);
    const written = version === undefined ? this.sql.insert.run(id, conversationId, body) : this.sql.update.run(body, id, conversationId, Number(version));
    return written.changes === 1;
  }

  /** Removes the watch if it is still at `version`. */
  remove(id: string, conversationId: string, version: string): boolean {
    return this.sql.remove.run(id, conversationId, Number(version)).changes === 1;
  }
}
