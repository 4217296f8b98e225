import type { Logger } from 'pino';
import type { ProjectRecord } from '../model';
import type { ExecutionRecord, ExecutionStore } from '../store/executionStore';
import type { ProjectStore } from '../store/projectStore';
import { INTERRUPTED, type Runner } from './runner';

/** Runs one project's executions one after another; different projects run side by side. */
export class RunQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly runner: Runner,
    private readonly executions: ExecutionStore,
    private readonly projects: ProjectStore,
    private readonly logger?: Logger,
  ) {}

  /** Queues a run of the project behind any run of it still going. */
  submit(project: ProjectRecord, trigger: ExecutionRecord['trigger']): ExecutionRecord {
    const tasks = project.entityMappings.map((m) => `${m.sourceEntity} to ${m.destinationEntity}`);
    const execution = this.executions.create(project.name, trigger, tasks);
    this.projects.markRanOrScheduled(project.name);
    this.chain(project.name, execution.id);
    return execution;
  }

  /** True when a run of the project is waiting to start. */
  hasWaiting(projectName: string): boolean {
    return this.executions.hasQueued(projectName);
  }

  /** After a restart: runs cut off by the stop are marked failed, queued ones run again. */
  resume(): void {
    for (const status of ['EXPORTING', 'IMPORTING'] as const) {
      for (const execution of this.executions.withStatus(status)) {
        this.executions.update({
          ...execution, status: 'ERROR', endedAt: new Date().toISOString(),
          details: INTERRUPTED,
        });
      }
    }
    for (const execution of this.executions.withStatus('QUEUED')) this.chain(execution.projectName, execution.id);
  }

  /** Resolves when every started chain has ended (the runner stops early once its signal is aborted). */
  async drain(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  private chain(projectName: string, executionId: string): void {
    const key = projectName.toLowerCase();
    const tail = (this.tails.get(key) ?? Promise.resolve())
      .then(() => this.runner.run(executionId))
      .catch((err: unknown) => this.logger?.error({ err, executionId }, 'sandbox run could not be recorded'));
    this.tails.set(key, tail);
    void tail.finally(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }
}
