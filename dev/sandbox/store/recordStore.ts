import type { SandboxDb } from '../db/openDatabase';
import type { SourceRow } from '../seed/sourceRows';
import { sequentialId } from './sequentialId';

/** A row as tests see it. */
export interface TableRow {
  recordId: string;
  data: Record<string, unknown>;
}

/** A stored row before its JSON is parsed. */
export interface RawRow {
  recordId: string;
  data: string;
}

type Statements = ReturnType<typeof prepare>;

const parsed = (row: RawRow): TableRow => ({ recordId: row.recordId, data: JSON.parse(row.data) as Record<string, unknown> });

function prepare(db: SandboxDb) {
  return {
    tableId: db.prepare('SELECT id FROM entity_tables WHERE environment = ? AND entity = ?').pluck(),
    addTable: db.prepare('INSERT INTO entity_tables (environment, entity) VALUES (?, ?)'),
    count: db.prepare('SELECT COUNT(*) FROM entity_rows WHERE table_id = ?').pluck(),
    batch: db.prepare(
      'SELECT record_id AS recordId, data FROM entity_rows WHERE table_id = ? AND record_id > ? ORDER BY record_id LIMIT ?',
    ),
    byIds: db.prepare(
      'SELECT record_id AS recordId, data FROM entity_rows WHERE table_id = ? AND record_id IN (SELECT value FROM json_each(?)) ORDER BY record_id',
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

/** One Dataverse table of one environment. */
export class EntityTable {
  constructor(private readonly stmts: Statements, private readonly id: number) {}

  /** How many rows the table holds. */
  count(): number {
    return this.stmts.count.get(this.id) as number;
  }

  /** The next rows after `afterRecordId`, in record id order: lets a run stream the table in batches. */
  batchAfter(afterRecordId: string, limit: number): RawRow[] {
    return this.stmts.batch.all(this.id, afterRecordId, limit) as RawRow[];
  }

  /** The whole table in batches of record id order; each batch is read only when the previous one is done. */
  *batches(size: number): Generator<RawRow[]> {
    for (let batch = this.batchAfter('', size); batch.length > 0; batch = this.batchAfter(batch[batch.length - 1]!.recordId, size)) {
      yield batch;
    }
  }

  /** The rows with these record ids (those that exist), in record id order. */
  byIds(recordIds: readonly string[]): TableRow[] {
    return (this.stmts.byIds.all(this.id, JSON.stringify(recordIds)) as RawRow[]).map(parsed);
  }

  /** Inserts or updates the row with this integration key value; an existing row keeps its id, which tells the two apart. */
  upsert(key: string, data: string, now: string): 'inserted' | 'updated' {
    const newId = sequentialId();
    return this.stmts.upsert.get(this.id, newId, key, data, now) === newId ? 'inserted' : 'updated';
  }

  /** Adds source rows (seeding), without an integration key. */
  insertSource(rows: Iterable<SourceRow>, now: string): void {
    for (const row of rows) this.stmts.insert.run(this.id, row.recordId, null, JSON.stringify(row.data), now);
  }

  /** Every row, for tests and inspection. */
  rows(): TableRow[] {
    return [...this.batches(1000)].flat().map(parsed);
  }
}

/**
 * The Dataverse tables of every environment, in one SQLite table clustered by (table, record id): a run
 * reads a table in order, and new rows (with sequential ids) are appended.
 */
export class RecordStore {
  private readonly stmts: Statements;

  constructor(db: SandboxDb) {
    this.stmts = prepare(db);
  }

  /** A table of an environment, created on first use (every Dataverse database has the standard tables). */
  table(environment: string, entity: string): EntityTable {
    const existing = this.stmts.tableId.get(environment, entity) as number | undefined;
    const id = existing ?? Number(this.stmts.addTable.run(environment, entity).lastInsertRowid);
    return new EntityTable(this.stmts, id);
  }
}
