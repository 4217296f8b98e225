import type { RunQueue } from '../engine/runQueue';
import type { ConnectionSetRecord, TemplateRecord } from '../model';
import type { DataflowRowStore } from '../store/dataflowRowStore';
import type { DocumentStore } from '../store/documentStore';
import type { ExecutionStore } from '../store/executionStore';
import type { ProjectStore } from '../store/projectStore';
import type { RecordStore } from '../store/recordStore';
import type { ScheduleStore } from '../store/scheduleStore';
import type { TenantStore } from '../store/tenantStore';

/** The documented limits of Data Integration, adjustable so that tests can reach them. */
export interface SandboxLimits {
  /** Scheduled projects per (paid) tenant. */
  maxScheduledProjects: number;
  /** Rows one execution may move. */
  maxRowsPerExecution: number;
  /** Rejected records listed per run in the history (the count is always complete). */
  recordErrorsPerRun: number;
  /** Days the run history is kept. */
  historyDays: number;
}

/** The documented values. */
export const DEFAULT_LIMITS: SandboxLimits = {
  maxScheduledProjects: 50,
  maxRowsPerExecution: 500_000,
  recordErrorsPerRun: 1000,
  historyDays: 45,
};

/** Everything the route handlers work with. */
export interface SandboxContext {
  tenant: TenantStore;
  templates: DocumentStore<TemplateRecord>;
  connectionSets: DocumentStore<ConnectionSetRecord>;
  projects: ProjectStore;
  schedules: ScheduleStore;
  executions: ExecutionStore;
  /** The Dataverse tables of every environment. */
  records: RecordStore;
  queue: RunQueue;
  /** The rows of the dataflow tables of every environment. */
  dataflowRows: DataflowRowStore;
  /** Rows per page of a Dataverse query before `@odata.nextLink` (Dataverse's default is 5,000). */
  dataversePageSize: number;
  limits: SandboxLimits;
  minuteMs: number;
}
