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

interface Waiter {
  place: number;
  resolve(): void;
}

interface KeyState {
  stamps: number[];
  /** Callers waiting for a send, by place (the earliest first). */
  waiting: Waiter[];
  sleeping: boolean;
}

/**
 * Lets work through per key while it stays within every window, waiting otherwise. Waiting
 * callers of one key are served by their place: the order they asked in, unless a caller brings
 * the place it was given earlier (a retried send keeps its place instead of queueing again).
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly longestMs: number;
  private places = 0;

  constructor(private readonly windows: readonly RateWindow[], private readonly clock: LimiterClock = realClock) {
    this.longestMs = Math.max(...windows.map((w) => w.windowMs));
  }

  /** A place in line, taken now: give it to every `acquire` of one send, first try and retries alike. */
  place(): number {
    return this.places++;
  }

  /** Resolves when one more send for `key` fits in every window and no caller with an earlier place waits, and counts it. */
  acquire(key: string, place = this.place()): Promise<void> {
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { stamps: [], waiting: [], sleeping: false }));
    const waiting = state.waiting;
    return new Promise<void>((resolve) => {
      let i = waiting.length;
      while (i > 0 && waiting[i - 1].place > place) i--;
      waiting.splice(i, 0, { place, resolve });
      this.serve(state);
    });
  }

  /** How long the next send for `key` would wait now, in ms. */
  waitFor(key: string): number {
    const state = this.keys.get(key);
    return state ? this.wait(state.stamps, this.clock.now()) : 0;
  }

  private serve(state: KeyState): void {
    while (!state.sleeping && state.waiting.length > 0) {
      const now = this.clock.now();
      while (state.stamps.length > 0 && state.stamps[0] <= now - this.longestMs) state.stamps.shift();
      const wait = this.wait(state.stamps, now);
      if (wait > 0) {
        state.sleeping = true;
        void this.clock.sleep(wait).finally(() => { state.sleeping = false; this.serve(state); });
        return;
      }
      state.stamps.push(now);
      state.waiting.shift()?.resolve();
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
