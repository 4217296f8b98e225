import { DataIntegration, Execution } from '../integration/port';
import { AdaptiveCardJson, literal, renderCard } from '../render/cardRenderer';
import { durationText } from '../render/cardText';

const FINISHED = new Set<Execution['status']>(['succeeded', 'warning', 'failed']);

/** True once a run has ended, well or badly. */
export function isFinished(execution: Execution): boolean {
  return FINISHED.has(execution.status);
}

/** Polls one run until it ends; rejects when `signal` aborts or `timeoutMs` passes. */
export async function waitForExecution(
  di: DataIntegration, projectName: string, executionId: string,
  options: { intervalMs: number; timeoutMs: number; signal?: AbortSignal },
): Promise<Execution> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const execution = await di.getExecution(projectName, executionId);
    if (isFinished(execution)) return execution;
    if (Date.now() > deadline) throw new Error(`run ${executionId} of ${projectName} did not finish within ${options.timeoutMs} ms`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.intervalMs);
      options.signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('stopped')); }, { once: true });
    });
  }
}

function duration(e: Execution): string {
  return e.endedAt ? durationText(Date.parse(e.endedAt) - Date.parse(e.startedAt)) : 'still running';
}

const HEADLINES = {
  queued: ['is queued', 'Default'], running: ['is running…', 'Accent'], succeeded: ['succeeded', 'Good'],
  warning: ['finished with errors', 'Warning'], failed: ['failed', 'Attention'],
} as const;

/** The card that shows a run: running, or its result with the first rejected records and what to do next. */
export function runCard(projectName: string, execution: Pick<Execution, 'status'> & Partial<Execution>): AdaptiveCardJson {
  const [verb, color] = HEADLINES[execution.status];
  const done = execution.endedAt !== undefined;
  const next = execution.status === 'failed' || execution.status === 'warning'
    ? `Fix the rejected records in the source, then run "${projectName}" again; the records are retried at the next run.`
    : execution.status === 'succeeded' ? `Type "schedule ${projectName}" to have an approver put it on a schedule, or "status" to see all projects.` : '';
  return renderCard('runResult', {
    headline: `${literal(projectName)} ${verb}`,
    color,
    facts: done
      ? [
          { title: 'Status', value: execution.status },
          { title: 'Upserts', value: String(execution.upserts ?? 0) },
          { title: 'Errors', value: String(execution.errorCount ?? 0) },
          { title: 'Duration', value: duration(execution as Execution) },
          ...(execution.message ? [{ title: 'Reason', value: execution.message }] : []),
        ]
      : [{ title: 'Status', value: execution.status }],
    recordErrors: (execution.recordErrors ?? []).slice(0, 5).map((r) => ({ recordId: r.recordId, message: literal(r.message) })),
    nextStep: done ? literal(next) : '',
  });
}
