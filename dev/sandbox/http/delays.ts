import type { ServerResponse } from 'node:http';

/** Injected response delays that end early when the caller hangs up or the sandbox closes. */
export class Delays {
  private readonly pending = new Set<() => void>();

  /** Waits; resolves true if the caller is still there when the time is up. */
  wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (stillThere: boolean) => {
        clearTimeout(timer);
        res.off('close', gone);
        this.pending.delete(gone);
        resolve(stillThere);
      };
      const gone = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      res.on('close', gone);
      this.pending.add(gone);
    });
  }

  /** Ends every pending delay (on close). */
  cancelAll(): void {
    for (const gone of [...this.pending]) gone();
  }
}
