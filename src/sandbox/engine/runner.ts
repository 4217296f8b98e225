import type { Logger } from 'pino';
import type { SandboxDb } from '../db/openDatabase';
import type { ProjectRecord } from '../model';
import { TABLES } from '../seed/tables';
import type { ExecutionRecord, ExecutionStore } from '../store/executionStore';
import type { ProjectStore } from '../store/projectStore';
import type { RawRow, RecordStore } from '../store/recordStore';
import { compileMapping, type MappedRow, RunFailure } from './rowMapper';

/** Rows read, mapped and written per transaction; between batches the event loop serves HTTP. */
const BATCH_SIZE = 1000;

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

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const formatCount = (n: number) => n.toLocaleString('en-US');

/** Runs one queued execution: streams the source tables, maps, validates and upserts by integration key. */
export class Runner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Runs the execution to its end; failures end up in its status and details, never thrown. */
  async run(executionId: string): Promise<void> {
    const { executions, projects, logger } = this.deps;
    if (this.deps.signal.aborted) return;
    const execution = executions.get(executionId);
    if (!execution || execution.status !== 'QUEUED') return;
    Object.assign(execution, { status: 'EXPORTING', startedAt: new Date().toISOString() });
    executions.update(execution);
    try {
      const project = projects.get(execution.projectName);
      if (!project) throw new RunFailure(`Project "${execution.projectName}" no longer exists`);
      await this.move(execution, project);
      execution.status = execution.errors === 0 ? 'COMPLETED' : execution.upserts > 0 ? 'WARNING' : 'ERROR';
    } catch (error) {
      execution.status = 'ERROR';
      execution.details = error instanceof RunFailure ? error.message : 'The run failed inside the sandbox';
      if (!(error instanceof RunFailure)) logger?.error({ err: error, executionId }, 'sandbox run crashed');
    }
    execution.endedAt = new Date().toISOString();
    executions.update(execution);
    logger?.info({ executionId, project: execution.projectName, status: execution.status, upserts: execution.upserts, errors: execution.errors }, 'sandbox run finished');
  }

  private async move(execution: ExecutionRecord, project: ProjectRecord): Promise<void> {
    const { records, maxRowsPerExecution } = this.deps;
    const mappers = project.entityMappings.map((m) => compileMapping(m, TABLES[m.destinationEntity]));
    const total = project.entityMappings.reduce((sum, m) => sum + records.table(project.sourceEnvironment, m.sourceEntity).count(), 0);
    if (total > maxRowsPerExecution) {
      throw new RunFailure(
        `The source holds ${formatCount(total)} rows; one execution moves at most ${formatCount(maxRowsPerExecution)}. Narrow the task's source filter.`,
      );
    }
    execution.status = 'IMPORTING';
    for (const [leg, mapper] of mappers.entries()) await this.moveLeg(execution, project, leg, mapper);
  }

  private async moveLeg(execution: ExecutionRecord, project: ProjectRecord, leg: number, mapper: (row: Record<string, unknown>) => MappedRow) {
    const { db, records, executions, signal } = this.deps;
    const mapping = project.entityMappings[leg];
    const stats = execution.legs[leg];
    if (!mapping || !stats) return;
    const source = records.table(project.sourceEnvironment, mapping.sourceEntity);
    const destination = records.table(project.destinationEnvironment, mapping.destinationEntity);
    const writeBatch = db.transaction((batch: RawRow[], now: string) => {
      for (const row of batch) {
        const result = mapper(JSON.parse(row.data) as Record<string, unknown>);
        stats.exported += 1;
        if (result.ok) {
          stats[destination.upsert(result.key, JSON.stringify(result.data), now)] += 1;
          execution.upserts += 1;
        } else {
          stats.errors += 1;
          execution.errors += 1;
          executions.addRecordError(execution.id, { leg, recordId: row.recordId, field: result.field, message: result.message });
        }
      }
      executions.update(execution);
    });
    for (let batch = source.batchAfter('', BATCH_SIZE); batch.length > 0; batch = source.batchAfter(batch[batch.length - 1]!.recordId, BATCH_SIZE)) {
      if (signal.aborted) throw new RunFailure('The sandbox stopped during the run. Run it again: upserts by key make a repeat safe.');
      writeBatch(batch, new Date().toISOString());
      await nextTick();
    }
  }
}
