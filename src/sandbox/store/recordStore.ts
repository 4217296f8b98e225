import type { SandboxDb } from '../db/openDatabase';
import type { SourceRow } from '../seed/sourceRows';
import { sequentialId } from './sequentialId';

/** A row as tests and the run engine see it. */
export interface TableRow {
  recordId: string;
  data: Record<string, unknown>;
}

/** Rows of the Dataverse tables of every environment, in one SQLite table. */
export class RecordStore {
  private readonly countStmt;
  private readonly batchStmt;
  private readonly findByKeyStmt;
  private readonly insertStmt;
  private readonly updateStmt;

  constructor(db: SandboxDb) {
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM entity_rows WHERE environment = ? AND entity = ?').pluck();
    this.batchStmt = db.prepare(
      `SELECT record_id AS recordId, data FROM entity_rows
       WHERE environment = ? AND entity = ? AND record_id > ? ORDER BY record_id LIMIT ?`,
    );
    this.findByKeyStmt = db
      .prepare('SELECT record_id FROM entity_rows WHERE environment = ? AND entity = ? AND key = ?')
      .pluck();
    this.insertStmt = db.prepare(
      'INSERT INTO entity_rows (environment, entity, record_id, key, data, modified_on) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateStmt = db.prepare(
      'UPDATE entity_rows SET data = ?, modified_on = ? WHERE environment = ? AND entity = ? AND record_id = ?',
    );
  }

  /** How many rows a table holds. */
  count(environment: string, entity: string): number {
    return this.countStmt.get(environment, entity) as number;
  }

  /** The next rows after `afterRecordId`, in record id order: lets a run stream a table in batches. */
  batchAfter(environment: string, entity: string, afterRecordId: string, limit: number): { recordId: string; data: string }[] {
    return this.batchStmt.all(environment, entity, afterRecordId, limit) as { recordId: string; data: string }[];
  }

  /** Inserts or updates the row with this integration key value; says which it did. */
  upsert(environment: string, entity: string, key: string, data: string, now: string): 'inserted' | 'updated' {
    const existing = this.findByKeyStmt.get(environment, entity, key) as string | undefined;
    if (existing) {
      this.updateStmt.run(data, now, environment, entity, existing);
      return 'updated';
    }
    this.insertStmt.run(environment, entity, sequentialId(), key, data, now);
    return 'inserted';
  }

  /** Adds source rows (seeding), without an integration key. */
  insertSource(environment: string, entity: string, rows: Iterable<SourceRow>, now: string): void {
    for (const row of rows) this.insertStmt.run(environment, entity, row.recordId, null, JSON.stringify(row.data), now);
  }

  /** Every row of a table, for tests and inspection. */
  rows(environment: string, entity: string): TableRow[] {
    const rows: TableRow[] = [];
    let after = '';
    for (let batch = this.batchAfter(environment, entity, after, 1000); batch.length > 0; batch = this.batchAfter(environment, entity, after, 1000)) {
      for (const row of batch) rows.push({ recordId: row.recordId, data: JSON.parse(row.data) as Record<string, unknown> });
      after = batch[batch.length - 1]?.recordId ?? after;
    }
    return rows;
  }
}
