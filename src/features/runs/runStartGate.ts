import { said, type Said } from '../../words/words';
import { SlidingWindowLimiter } from '../../notifications/slidingWindowLimiter';

/** The Data Integrator's advice: at most 5 project executions a minute in one tenant. */
export const RUNS_PER_MINUTE_PER_TENANT = 5;

/**
 * Every run the bot starts (Run now, Run again) asks here first. Over the advice, the person is
 * told how long to wait instead of the run being started or queued behind their back.
 */
export class RunStartGate {
  constructor(private readonly limiter = new SlidingWindowLimiter([{ limit: RUNS_PER_MINUTE_PER_TENANT, windowMs: 60_000 }])) {}

  /** Takes a slot for a run in the tenant; returns how many seconds to wait instead when there is none. */
  async tryStart(tenantId: string): Promise<{ ok: true } | { ok: false; waitSeconds: number }> {
    const wait = this.limiter.waitFor(tenantId);
    if (wait > 0) return { ok: false, waitSeconds: Math.ceil(wait / 1000) };
    await this.limiter.acquire(tenantId);
    return { ok: true };
  }
}

/** What the person is told when the tenant has started its runs for this minute. */
export function runLimitText(projectName: string, waitSeconds: number): Said {
  return said('run.limited', { project: projectName, perMinute: RUNS_PER_MINUTE_PER_TENANT, seconds: waitSeconds });
}
