import type { LimiterClock } from '../../src/notifications/slidingWindowLimiter';

/** A clock that moves only when someone sleeps on it, so rate limits are tested without waiting. */
export class FakeClock implements LimiterClock {
  constructor(public t = 0) {}
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.t += ms;
  };
}
