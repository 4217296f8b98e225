/** At most `limit` sends within any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Teams' limits for one bot in one conversation. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

/** Teams' limit for one app in one tenant (about 30 requests a second). */
export const TEAMS_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 30, windowMs: 1_000 }];

/** The clock a limiter waits on; tests pass a fake one. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

interface KeyState {
  stamps: number[];
  tail: Promise<void>;
}

/**
 * Lets work through per key while it stays within every window, waiting otherwise. Callers of
 * one key are served in the order they asked, so a conversation's messages keep their order.
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly longestMs: number;

  constructor(private readonly windows: readonly RateWindow[], private readonly clock: LimiterClock = realClock) {
    this.longestMs = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Resolves when one more send for `key` fits in every window, and counts it. */
  acquire(key: string): Promise<void> {
    const state = this.keys.get(key) ?? { stamps: [], tail: Promise.resolve() };
    this.keys.set(key, state);
    const turn = state.tail.then(() => this.take(state));
    state.tail = turn.catch(() => undefined);
    return turn;
  }

  /** How long the next send for `key` would wait now, in ms. */
  waitFor(key: string): number {
    const state = this.keys.get(key);
    return state ? this.wait(state.stamps, this.clock.now()) : 0;
  }

  private async take(state: KeyState): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (state.stamps.length > 0 && state.stamps[0] <= now - this.longestMs) state.stamps.shift();
      const wait = this.wait(state.stamps, now);
      if (wait <= 0) {
        state.stamps.push(now);
        return;
      }
      await this.clock.sleep(wait);
    }
  }

  private wait(stamps: readonly number[], now: number): number {
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      if (stamps.length < limit) continue;
      const oldestInWindow = stamps[stamps.length - limit];
      if (oldestInWindow > now - windowMs) wait = Math.max(wait, oldestInWindow + windowMs - now);
    }
    return wait;
  }
}
