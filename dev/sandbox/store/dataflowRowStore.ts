import type { SandboxDb } from '../db/openDatabase';
import type { DataflowRow, DataflowSetName } from '../wire/dataflowTables';

/** The rows of the dataflow tables, per entity set and environment, as the Web API answers them. */
export class DataflowRowStore {
  private readonly listStmt;
  private readonly upsertStmt;
  private readonly countStmt;
  private readonly deleteStmt;

  constructor(private readonly db: SandboxDb) {
    this.listStmt = db.prepare('SELECT data FROM dataflow_rows WHERE entity_set = ? AND environment = ?').pluck();
    this.upsertStmt = db.prepare(`INSERT INTO dataflow_rows (entity_set, environment, id, data) VALUES (?, ?, ?, ?)
      ON CONFLICT (entity_set, environment, id) DO UPDATE SET data = excluded.data`);
    this.countStmt = db.prepare('SELECT count(*) FROM dataflow_rows WHERE entity_set = ?').pluck();
    this.deleteStmt = db.prepare('DELETE FROM dataflow_rows WHERE entity_set = ? AND environment = ? AND id = ?');
  }

  /** Every row of a set in an environment. */
  rows(set: DataflowSetName, environment: string): DataflowRow[] {
    return (this.listStmt.all(set, environment) as string[]).map((text) => JSON.parse(text) as DataflowRow);
  }

  /** Writes rows (one transaction), each keyed by its id column. */
  save(environment: string, rows: readonly { set: DataflowSetName; id: string; row: DataflowRow }[]): void {
    this.db.transaction(() => rows.forEach(({ set, id, row }) => this.upsertStmt.run(set, environment, id, JSON.stringify(row))))();
  }

  /** Deletes one row (a dataflow deleted in the maker portal); its history rows stay, as Dataverse's history is its own table. */
  delete(set: DataflowSetName, environment: string, id: string): void {
    this.deleteStmt.run(set, environment, id);
  }

  /** How many rows a set holds in every environment. */
  count(set: DataflowSetName): number {
    return this.countStmt.get(set) as number;
  }
}
