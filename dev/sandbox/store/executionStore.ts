import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ExecutionState } from '../wire/execution';
import type { SandboxDb } from '../db/openDatabase';
import { legStatsSchema, type LegStats, readJson } from '../model';

/** One run, as stored. */
export interface ExecutionRecord {
  id: string;
  projectName: string;
  trigger: 'manual' | 'schedule';
  status: ExecutionState;
  submittedAt: string;
  startedAt?: string;
  endedAt?: string;
  upserts: number;
  errors: number;
  legs: LegStats[];
  details?: string;
}

/** A rejected record of a run. */
export interface RecordErrorRecord {
  leg: number;
  recordId: string;
  field: string | null;
  message: string;
}

interface ExecutionRow {
  id: string; project_name: string; trigger: string; status: string; submitted_at: string; started_at: string | null;
  ended_at: string | null; upserts: number; errors: number; legs: string; details: string | null;
}

const legsSchema = z.array(legStatsSchema);

const toRecord = (row: ExecutionRow): ExecutionRecord => ({
  id: row.id,
  projectName: row.project_name,
  trigger: row.trigger === 'schedule' ? 'schedule' : 'manual',
  status: row.status as ExecutionState,
  submittedAt: row.submitted_at,
  startedAt: row.started_at ?? undefined,
  endedAt: row.ended_at ?? undefined,
  upserts: row.upserts,
  errors: row.errors,
  legs: readJson(legsSchema, row.legs, 'execution legs'),
  details: row.details ?? undefined,
});

/** Runs and their rejected records. */
export class ExecutionStore {
  private readonly stmts;

  constructor(db: SandboxDb) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO executions (id, project_name, trigger, status, submitted_at, legs)
         VALUES (@id, @projectName, @trigger, @status, @submittedAt, @legs)`,
      ),
      update: db.prepare(
        `UPDATE executions SET status = @status, started_at = @startedAt, ended_at = @endedAt, upserts = @upserts,
         errors = @errors, legs = @legs, details = @details WHERE id = @id`,
      ),
      get: db.prepare('SELECT * FROM executions WHERE id = ?'),
      list: db.prepare('SELECT * FROM executions WHERE project_name = ? ORDER BY submitted_at DESC'),
      byStatus: db.prepare('SELECT * FROM executions WHERE status = ? ORDER BY submitted_at'),
      queued: db.prepare("SELECT 1 FROM executions WHERE project_name = ? AND status = 'QUEUED' LIMIT 1").pluck(),
      addError: db.prepare('INSERT INTO record_errors (execution_id, leg, record_id, field, message) VALUES (?, ?, ?, ?, ?)'),
      errors: db.prepare('SELECT leg, record_id AS recordId, field, message FROM record_errors WHERE execution_id = ? LIMIT ?'),
      purgeErrors: db.prepare('DELETE FROM record_errors WHERE execution_id IN (SELECT id FROM executions WHERE ended_at < ?)'),
      purge: db.prepare('DELETE FROM executions WHERE ended_at < ?'),
    };
  }

  /** Queues a new run. */
  create(projectName: string, trigger: ExecutionRecord['trigger'], tasks: string[]): ExecutionRecord {
    const legs = tasks.map((task) => ({ task, exported: 0, inserted: 0, updated: 0, errors: 0 }));
    const record: ExecutionRecord = {
      id: randomUUID(), projectName, trigger, status: 'QUEUED', submittedAt: new Date().toISOString(), upserts: 0, errors: 0, legs,
    };
    this.stmts.insert.run({ ...record, legs: JSON.stringify(legs) });
    return record;
  }

  /** Writes a run's status and figures. */
  update(record: ExecutionRecord): void {
    this.stmts.update.run({
      id: record.id, status: record.status, startedAt: record.startedAt ?? null, endedAt: record.endedAt ?? null,
      upserts: record.upserts, errors: record.errors, legs: JSON.stringify(record.legs), details: record.details ?? null,
    });
  }

  get(id: string): ExecutionRecord | undefined {
    const row = this.stmts.get.get(id) as ExecutionRow | undefined;
    return row && toRecord(row);
  }

  /** A project's runs, newest first. */
  list(projectName: string): ExecutionRecord[] {
    return (this.stmts.list.all(projectName) as ExecutionRow[]).map(toRecord);
  }

  /** All runs in a state, oldest first (used after a restart). */
  withStatus(status: ExecutionState): ExecutionRecord[] {
    return (this.stmts.byStatus.all(status) as ExecutionRow[]).map(toRecord);
  }

  /** True when a run of the project waits to start. */
  hasQueued(projectName: string): boolean {
    return this.stmts.queued.get(projectName) !== undefined;
  }

  addRecordError(executionId: string, error: RecordErrorRecord): void {
    this.stmts.addError.run(executionId, error.leg, error.recordId, error.field, error.message);
  }

  /** The first `limit` rejected records of a run. */
  recordErrors(executionId: string, limit: number): RecordErrorRecord[] {
    return this.stmts.errors.all(executionId, limit) as RecordErrorRecord[];
  }

  /** Forgets runs that ended before the cut-off (the service keeps 45 days). */
  purgeEndedBefore(cutoff: string): void {
    this.stmts.purgeErrors.run(cutoff);
    this.stmts.purge.run(cutoff);
  }
}
