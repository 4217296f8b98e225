import type { SandboxDb } from '../db/openDatabase';
import type { SourceRow } from '../seed/sourceRows';
import { sequentialId } from './sequentialId';

/** A row as tests and the run engine see it. */
export interface TableRow {
  recordId: string;
  data: Record<string, unknown>;
}

/** A stored row before its JSON is parsed. */
export interface RawRow {
  recordId: string;
  data: string;
}

/**
 * Rows of the Dataverse tables of every environment. Rows are clustered by (table, record id) so that a
 * run reads a table in order and new rows (with sequential ids) are appended.
 */
export class RecordStore {
  private readonly tableIds = new Map<string, number>();
  private readonly stmts;

  constructor(db: SandboxDb) {
    this.stmts = {
      tableId: db.prepare('SELECT id FROM entity_tables WHERE environment = ? AND entity = ?').pluck(),
      addTable: db.prepare('INSERT INTO entity_tables (environment, entity) VALUES (?, ?)'),
      count: db.prepare('SELECT COUNT(*) FROM entity_rows WHERE table_id = ?').pluck(),
      batch: db.prepare(
        'SELECT record_id AS recordId, data FROM entity_rows WHERE table_id = ? AND record_id > ? ORDER BY record_id LIMIT ?',
      ),
      insert: db.prepare('INSERT INTO entity_rows (table_id, record_id, key, data, modified_on) VALUES (?, ?, ?, ?, ?)'),
      upsert: db
        .prepare(
          `INSERT INTO entity_rows (table_id, record_id, key, data, modified_on) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (table_id, key) WHERE key IS NOT NULL DO UPDATE SET data = excluded.data, modified_on = excluded.modified_on
           RETURNING record_id`,
        )
        .pluck(),
    };
  }

  /** How many rows a table holds. */
  count(environment: string, entity: string): number {
    return this.stmts.count.get(this.tableId(environment, entity)) as number;
  }

  /** The next rows after `afterRecordId`, in record id order: lets a run stream a table in batches. */
  batchAfter(environment: string, entity: string, afterRecordId: string, limit: number): RawRow[] {
    return this.stmts.batch.all(this.tableId(environment, entity), afterRecordId, limit) as RawRow[];
  }

  /** Inserts or updates the row with this integration key value; an existing row keeps its id, which tells the two apart. */
  upsert(environment: string, entity: string, key: string, data: string, now: string): 'inserted' | 'updated' {
    const newId = sequentialId();
    const id = this.stmts.upsert.get(this.tableId(environment, entity), newId, key, data, now) as string;
    return id === newId ? 'inserted' : 'updated';
  }

  /** Adds source rows (seeding), without an integration key. */
  insertSource(environment: string, entity: string, rows: Iterable<SourceRow>, now: string): void {
    const table = this.tableId(environment, entity);
    for (const row of rows) this.stmts.insert.run(table, row.recordId, null, JSON.stringify(row.data), now);
  }

  /** Every row of a table, for tests and inspection. */
  rows(environment: string, entity: string): TableRow[] {
    const rows: TableRow[] = [];
    for (let batch = this.batchAfter(environment, entity, '', 1000); batch.length > 0;) {
      for (const row of batch) rows.push({ recordId: row.recordId, data: JSON.parse(row.data) as Record<string, unknown> });
      batch = this.batchAfter(environment, entity, batch[batch.length - 1]?.recordId ?? '', 1000);
    }
    return rows;
  }

  /** The id of a table of an environment, created on first use (as every Dataverse database has the standard tables). */
  private tableId(environment: string, entity: string): number {
    const name = `${environment.toLowerCase()}/${entity}`;
    let id = this.tableIds.get(name) ?? (this.stmts.tableId.get(environment, entity) as number | undefined);
    if (id === undefined) id = Number(this.stmts.addTable.run(environment, entity).lastInsertRowid);
    this.tableIds.set(name, id);
    return id;
  }
}
