/** The states a run goes through in the sandbox: queued, export, import, then one of the three ends. */
export type ExecutionState = 'QUEUED' | 'EXPORTING' | 'IMPORTING' | 'COMPLETED' | 'WARNING' | 'ERROR';

/** The states in which a run is still under way. */
export const UNDER_WAY: readonly ExecutionState[] = ['QUEUED', 'EXPORTING', 'IMPORTING'];

/** A record the run could not move, and why. */
export interface RecordErrorWire {
  recordId: string;
  sourceField: string | null;
  errorMessage: string;
}

/** The figures of one leg of a run. */
export interface LegExecutionWire {
  status: ExecutionState;
  details?: string;
  exportRecordCount: number;
  exportRecordErrorCount: number;
  importRecordsInserted: number;
  importRecordsUpdated: number;
  importRecordErrorCount: number;
  importErrors: RecordErrorWire[];
}

/** One task of a run. */
export interface TaskExecutionWire {
  name: string;
  status: ExecutionState;
  isRunning: boolean;
  legs: LegExecutionWire[];
}

/** One run of a project. */
export interface ExecutionWire {
  id: string;
  projectName: string;
  displayName: string;
  submittedOn: string;
  startedOn?: string;
  executionStatus: ExecutionState;
  lastExecutionStatusChangeOn: string;
  upsertCount: number;
  errorCount: number;
  taskExecutionStatuses: TaskExecutionWire[];
}

/** The answer of `ProjectExecutionWithCompanies`: a project's run history, newest first. */
export interface ExecutionHistoryWire {
  projectName: string;
  projectExecutionResponses: ExecutionWire[];
}
