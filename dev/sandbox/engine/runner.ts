import type { Logger } from 'pino';
import type { SandboxDb } from '../db/openDatabase';
import type { ProjectRecord } from '../model';
import { TABLES } from '../seed/tables';
import type { ExecutionRecord, ExecutionStore } from '../store/executionStore';
import type { ProjectStore } from '../store/projectStore';
import type { EntityTable, RawRow, RecordStore } from '../store/recordStore';
import { compileMapping, type MappedRow, RunFailure } from './rowMapper';

/** Rows read, mapped and written per transaction; between batches the event loop serves HTTP. */
const BATCH_SIZE = 1000;

/** Why a run cut off by a stop failed. */
export const INTERRUPTED = 'The sandbox stopped during the run. Run it again: upserts by key make a repeat safe.';

/** What a runner needs. */
export interface RunnerDeps {
  db: SandboxDb;
  projects: ProjectStore;
  executions: ExecutionStore;
  records: RecordStore;
  maxRowsPerExecution: number;
  signal: AbortSignal;
  logger?: Logger;
}

/** One entity mapping of a project, ready to run. */
interface Leg {
  index: number;
  source: EntityTable;
  destination: EntityTable;
  map: (row: Record<string, unknown>) => MappedRow;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const formatCount = (n: number) => n.toLocaleString('en-US');

/** Warning when some records were rejected but others moved, as the Data Integrator reports it. */
const outcome = (e: ExecutionRecord): ExecutionRecord['status'] =>
  e.errors === 0 ? 'COMPLETED' : e.upserts > 0 ? 'WARNING' : 'ERROR';

/** Runs one queued execution: streams the source tables, maps, validates and upserts by integration key. */
export class Runner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Runs the execution to its end; failures end up in its status and details, never thrown. */
  async run(executionId: string): Promise<void> {
    const { executions, projects, logger, signal } = this.deps;
    const execution = signal.aborted ? undefined : executions.get(executionId);
    if (!execution || execution.status !== 'QUEUED') return;
    executions.update(Object.assign(execution, { status: 'EXPORTING', startedAt: new Date().toISOString() }));
    try {
      const project = projects.get(execution.projectName);
      if (!project) throw new RunFailure(`Project "${execution.projectName}" no longer exists`);
      await this.move(execution, project);
      execution.status = outcome(execution);
    } catch (error) {
      if (!(error instanceof RunFailure)) logger?.error({ err: error, executionId }, 'sandbox run crashed');
      execution.status = 'ERROR';
      execution.details = error instanceof RunFailure ? error.message : 'The run failed inside the sandbox';
    }
    executions.update(Object.assign(execution, { endedAt: new Date().toISOString() }));
    const { projectName, status, upserts, errors } = execution;
    logger?.info({ executionId, projectName, status, upserts, errors }, 'sandbox run finished');
  }

  private async move(execution: ExecutionRecord, project: ProjectRecord): Promise<void> {
    const legs = this.legsOf(project);
    const total = legs.reduce((sum, leg) => sum + leg.source.count(), 0);
    const limit = this.deps.maxRowsPerExecution;
    if (total > limit) {
      throw new RunFailure(
        `The source holds ${formatCount(total)} rows; one execution moves at most ${formatCount(limit)}. ` +
          "Narrow the task's source filter.",
      );
    }
    execution.status = 'IMPORTING';
    for (const leg of legs) await this.moveLeg(execution, leg);
  }

  private legsOf(project: ProjectRecord): Leg[] {
    const { records } = this.deps;
    return project.entityMappings.map((mapping, index) => ({
      index,
      source: records.table(project.sourceEnvironment, mapping.sourceEntity),
      destination: records.table(project.destinationEnvironment, mapping.destinationEntity),
      map: compileMapping(mapping, TABLES[mapping.destinationEntity]),
    }));
  }

  private async moveLeg(execution: ExecutionRecord, leg: Leg): Promise<void> {
    const { db, executions, signal } = this.deps;
    const stats = execution.legs[leg.index];
    if (!stats) return;
    const writeBatch = db.transaction((batch: RawRow[], now: string) => {
      for (const row of batch) {
        const result = leg.map(JSON.parse(row.data) as Record<string, unknown>);
        stats.exported += 1;
        if (result.ok) {
          stats[leg.destination.upsert(result.key, JSON.stringify(result.data), now)] += 1;
          execution.upserts += 1;
        } else {
          stats.errors += 1;
          execution.errors += 1;
          const { field, message } = result;
          executions.addRecordError(execution.id, { leg: leg.index, recordId: row.recordId, field, message });
        }
      }
      executions.update(execution);
    });
    for (const batch of leg.source.batches(BATCH_SIZE)) {
      if (signal.aborted) throw new RunFailure(INTERRUPTED);
      writeBatch(batch, new Date().toISOString());
      await nextTick();
    }
  }
}
