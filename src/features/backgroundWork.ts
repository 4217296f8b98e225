import type { Logger } from '../logger';

/**
 * Work that goes on after a turn is answered (Teams wants an invoke answered within seconds).
 * It never rejects; failures are logged. Shutdown and tests wait for it with `idle()`.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger?: Logger) {}

  /** Starts `work` now without waiting for it. */
  run(what: string, work: () => Promise<unknown>): void {
    const task: Promise<void> = work().then(
      () => undefined,
      (err: unknown) => this.logger?.error({ err, what }, 'background work failed'),
    ).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once everything started so far, and what it started, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
