import type { LimiterClock } from '../../src/notifications/slidingWindowLimiter';

/** A clock that moves only when someone sleeps on it, so rate limits are tested without waiting. */
export class FakeClock implements LimiterClock {
  constructor(public t = 0) {}
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.t += ms;
  };
}

/**
 * `then`, with the wall clock (Date) moved on by `ms`, as when the person comes back that much later: timers and the
 * rest run as they do, so servers on loopback and botbuilder's own waits are untouched.
 */
export async function dateMovedOn<T>(ms: number, then: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
  try {
    jest.setSystemTime(Date.now() + ms);
    return await then();
  } finally {
    jest.useRealTimers();
  }
}
