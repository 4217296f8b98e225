import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS } from '../../src/notifications/slidingWindowLimiter';
import { FakeClock } from '../helpers/fakeClock';

describe('per-conversation sliding windows', () => {
  test('Teams limits: 7 in a second, 8 in two seconds, 60 in 30 seconds', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, clock);
    const stamps: number[] = [];
    for (let i = 0; i < 61; i++) {
      await limiter.acquire('c1');
      stamps.push(clock.now());
    }
    expect(stamps.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(stamps[7]).toBe(1000); // the 8th waits for the 1-second window
    expect(stamps[8]).toBe(2000); // the 9th for the 2-second window
    const within = (from: number, ms: number) => stamps.filter((s) => s >= from && s < from + ms).length;
    for (const s of stamps) {
      expect(within(s, 1000)).toBeLessThanOrEqual(7);
      expect(within(s, 2000)).toBeLessThanOrEqual(8);
      expect(within(s, 30_000)).toBeLessThanOrEqual(60);
    }
    expect(stamps[60]).toBeGreaterThanOrEqual(30_000);
  });

  test('conversations do not wait for each other, and a conversation keeps its order', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 1000 }], clock);
    const order: string[] = [];
    await Promise.all(['a1', 'a2', 'a3'].map((name) => limiter.acquire('a').then(() => order.push(name))));
    expect(order).toEqual(['a1', 'a2', 'a3']);
    const before = clock.now();
    await limiter.acquire('b');
    expect(clock.now()).toBe(before);
    expect(limiter.waitFor('a')).toBe(1000);
  });

  test('a caller that brings an earlier place (a retried send) goes ahead of those who asked since, still within the window', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 1000 }], clock);
    const retried = limiter.place();
    const order: string[] = [];
    const later = ['b1', 'b2', 'b3'].map((name) => limiter.acquire('t').then(() => order.push(name)));
    await Promise.all([...later, limiter.acquire('t', retried).then(() => order.push('retried'))]);
    expect(order).toEqual(['b1', 'retried', 'b2', 'b3']); // b1 was let through at once; the retried send is next
    expect(clock.now()).toBe(3000); // one send a second all the same
  });
});
