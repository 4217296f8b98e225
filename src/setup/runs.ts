import { DataIntegration, Execution } from '../integration/port';

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
