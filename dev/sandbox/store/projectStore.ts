import type { SandboxDb } from '../db/openDatabase';
import { projectRecordSchema, type ProjectRecord } from '../model';
import { DocumentStore } from './documentStore';

/** Projects, and whether each has run or been scheduled (needed before saving it as a template). */
export class ProjectStore extends DocumentStore<ProjectRecord> {
  private readonly byIdStmt;
  private readonly markStmt;
  private readonly flagStmt;

  constructor(db: SandboxDb) {
    super(db, 'projects', projectRecordSchema);
    this.byIdStmt = db.prepare("SELECT name FROM projects WHERE json_extract(data, '$.id') = ?").pluck();
    this.markStmt = db.prepare('UPDATE projects SET ran_or_scheduled = 1 WHERE name = ?');
    this.flagStmt = db.prepare('SELECT ran_or_scheduled FROM projects WHERE name = ?').pluck();
  }

  /** The project with this id, or undefined. */
  byId(id: string): ProjectRecord | undefined {
    const name = this.byIdStmt.get(id) as string | undefined;
    return name === undefined ? undefined : this.get(name);
  }

  /** Remembers that the project has run or been scheduled. */
  markRanOrScheduled(name: string): void {
    this.markStmt.run(name);
  }

  /** True once the project has run or been scheduled. */
  ranOrScheduled(name: string): boolean {
    return this.flagStmt.get(name) === 1;
  }
}
