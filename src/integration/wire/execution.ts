import { z } from 'zod';
import type { Execution, ExecutionStatus } from '../port';

/** Execution states: EXPORTING, IMPORTING, WARNING, ERROR are named in the product docs; the others are guesses. */
const STATUS_BY_WIRE: Readonly<Record<string, ExecutionStatus>> = {
  QUEUED: 'queued',
  NOTSTARTED: 'queued',
  EXPORTING: 'running',
  IMPORTING: 'running',
  RUNNING: 'running',
  COMPLETED: 'succeeded',
  SUCCEEDED: 'succeeded',
  WARNING: 'warning',
  ERROR: 'failed',
  FAILED: 'failed',
};

/** The wire states the sandbox writes. */
export type WireExecutionStatus = 'QUEUED' | 'EXPORTING' | 'IMPORTING' | 'COMPLETED' | 'WARNING' | 'ERROR';

const executionStatusWireSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine((s) => s in STATUS_BY_WIRE, { message: 'unknown execution status' });

const count = z.number().int().min(0).nullish();

const recordErrorWireSchema = z.object({
  recordId: z.string(),
  sourceField: z.string().nullish(),
  errorMessage: z.string(),
});

const legExecutionWireSchema = z.object({
  status: z.string().nullish(),
  details: z.string().nullish(),
  exportRecordCount: count,
  exportRecordErrorCount: count,
  importRecordsInserted: count,
  importRecordsUpdated: count,
  importRecordErrorCount: count,
  exportErrors: z.array(recordErrorWireSchema).nullish(),
  importErrors: z.array(recordErrorWireSchema).nullish(),
});

const taskExecutionWireSchema = z.object({
  name: z.string(),
  status: z.string().nullish(),
  isRunning: z.boolean().nullish(),
  legs: z.array(legExecutionWireSchema),
});

/** One run (guessed, unverified); `startedOn` is unverified and falls back to `submittedOn`. */
export const executionWireSchema = z.object({
  id: z.string(),
  projectName: z.string(),
  displayName: z.string().nullish(),
  submittedOn: z.string(),
  startedOn: z.string().nullish(),
  executionStatus: executionStatusWireSchema,
  lastExecutionStatusChangeOn: z.string().nullish(),
  upsertCount: z.number().int().min(0),
  errorCount: z.number().int().min(0),
  taskExecutionStatuses: z.array(taskExecutionWireSchema).nullish(),
});

/** The run history of a project (guessed, unverified). */
export const executionHistoryWireSchema = z.object({
  projectName: z.string(),
  projectExecutionResponses: z.array(executionWireSchema),
});

/** Wire types, as the sandbox writes them. */
export type ExecutionWire = z.input<typeof executionWireSchema>;
export type LegExecutionWire = z.input<typeof legExecutionWireSchema>;

/** Converts a run to the domain type. */
export function toExecution(wire: z.infer<typeof executionWireSchema>): Execution {
  const status = STATUS_BY_WIRE[wire.executionStatus] ?? 'failed';
  const tasks = wire.taskExecutionStatuses ?? [];
  const legs = tasks.flatMap((t) => t.legs);
  const finished = status !== 'queued' && status !== 'running';
  return {
    id: wire.id,
    projectName: wire.projectName,
    status,
    upserts: wire.upsertCount,
    errorCount: wire.errorCount,
    recordErrors: tasks.flatMap((task) => task.legs.flatMap((l, leg) =>
      [...(l.exportErrors ?? []), ...(l.importErrors ?? [])].map((e) => ({
        recordId: e.recordId, message: e.errorMessage, ...(e.sourceField ? { field: e.sourceField } : {}), origin: { task: task.name, leg },
      })))),
    message: legs.find((l) => l.details)?.details ?? undefined,
    submittedAt: wire.submittedOn,
    startedAt: wire.startedOn ?? wire.submittedOn,
    endedAt: finished ? (wire.lastExecutionStatusChangeOn ?? undefined) : undefined,
  };
}
