import type { SandboxDb } from '../db/openDatabase';

/** The calendar units a schedule steps by (date-fns duration names). */
export const CADENCE_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type CadenceUnit = (typeof CADENCE_UNITS)[number];

/** How often a scheduled project runs: every `every` units. */
export interface Cadence {
  every: number;
  unit: CadenceUnit;
}

/** A project's schedule as stored; no cadence means it runs manually; `nextRunAt` in epoch milliseconds. */
export interface ScheduleRecord {
  projectName: string;
  cadence?: Cadence;
  paused: boolean;
  nextRunAt?: number;
}

interface ScheduleRow {
  project_name: string;
  every: number | null;
  unit: string | null;
  paused: number;
  next_run_at: number | null;
}

const isCadenceUnit = (unit: string | null): unit is CadenceUnit => (CADENCE_UNITS as readonly (string | null)[]).includes(unit);

const toRecord = (row: ScheduleRow): ScheduleRecord => ({
  projectName: row.project_name,
  ...(row.every && isCadenceUnit(row.unit) ? { cadence: { every: row.every, unit: row.unit } } : {}),
  paused: row.paused === 1,
  ...(row.next_run_at === null ? {} : { nextRunAt: row.next_run_at }),
});

/** Schedules of projects; a project without a row runs manually. */
export class ScheduleStore {
  private readonly getStmt;
  private readonly saveStmt;
  private readonly dueStmt;
  private readonly countStmt;

  constructor(db: SandboxDb) {
    this.getStmt = db.prepare('SELECT * FROM schedules WHERE project_name = ?');
    this.saveStmt = db.prepare(
      `INSERT INTO schedules (project_name, every, unit, paused, next_run_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_name) DO UPDATE SET every = excluded.every, unit = excluded.unit,
         paused = excluded.paused, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at`,
    );
    this.dueStmt = db.prepare(
      'SELECT * FROM schedules WHERE every IS NOT NULL AND paused = 0 AND next_run_at <= ? ORDER BY next_run_at',
    );
    this.countStmt = db.prepare('SELECT COUNT(*) FROM schedules WHERE every IS NOT NULL AND project_name <> ?').pluck();
  }

  /** The schedule of a project (manual when never saved). */
  get(projectName: string): ScheduleRecord {
    const row = this.getStmt.get(projectName) as ScheduleRow | undefined;
    return row ? toRecord(row) : { projectName, paused: false };
  }

  /** Saves a schedule. */
  save(schedule: ScheduleRecord): ScheduleRecord {
    const { cadence } = schedule;
    this.saveStmt.run(
      schedule.projectName, cadence?.every ?? null, cadence?.unit ?? null, schedule.paused ? 1 : 0,
      schedule.nextRunAt ?? null, new Date().toISOString(),
    );
    return schedule;
  }

  /** Recurring, running schedules whose next run is due. */
  due(now: number): ScheduleRecord[] {
    return (this.dueStmt.all(now) as ScheduleRow[]).map(toRecord);
  }

  /** How many projects of the tenant recur, other than this one (paused ones count). */
  countRecurring(exceptProject: string): number {
    return this.countStmt.get(exceptProject) as number;
  }
}
