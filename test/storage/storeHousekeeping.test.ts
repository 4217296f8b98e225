import { createLogger } from '../../src/logger';
import { StoreHousekeeping } from '../../src/storage/storeHousekeeping';

/** A lock store whose prunes the test answers one by one: each call waits until the test settles it. */
function heldPrunes() {
  const calls: Array<{ max: number; settle: (pruned: number | Error) => void }> = [];
  let called = () => undefined as void;
  return {
    calls,
    locks: {
      pruneExpired: (max: number) => new Promise<number>((resolve, reject) => {
        calls.push({ max, settle: (pruned) => (pruned instanceof Error ? reject(pruned) : resolve(pruned)) });
        called();
      }),
    },
    /** Resolves once the store has been asked `n` times in all. */
    asked: (n: number) => new Promise<void>((resolve) => {
      called = () => { if (calls.length >= n) resolve(); };
      called();
    }),
  };
}

/** A state store with nothing set aside (readableState.ts). */
const noneSetAside = { pruneSetAside: async () => 0 };

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
};

function logLines() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } }) };
}

describe('the stores\' housekeeping: expired locks and values set aside long ago (beside the approvals)', () => {
  test('prunes at start and on every pass, a bounded number each, never two passes at once', async () => {
    const store = heldPrunes();
    const pruning = new StoreHousekeeping({ flowLocks: store.locks, storage: noneSetAside }, createLogger('silent'), { everyMs: 5 });
    pruning.start();
    expect(store.calls).toHaveLength(1); // a process that lives less than a pass still prunes once
    expect(store.calls[0].max).toBe(200);
    await new Promise((r) => setTimeout(r, 30)); // several passes are due, but the first prune still runs
    expect(store.calls).toHaveLength(1);
    store.calls[0].settle(200);
    await store.asked(2);
    store.calls[1].settle(3);
    await pruning.stop();
  });

  test('stop waits for the prune in progress, and nothing prunes after it (the stores close next)', async () => {
    const store = heldPrunes();
    const pruning = new StoreHousekeeping({ flowLocks: store.locks, storage: noneSetAside }, createLogger('silent'), { everyMs: 5 });
    pruning.start();
    const stopped = pruning.stop();
    expect(await settled(stopped)).toBe(false);
    store.calls[0].settle(7);
    await stopped;
    await new Promise((r) => setTimeout(r, 30));
    expect(store.calls).toHaveLength(1);
    pruning.start(); // a stopped pruning can be started again, and stopped again at once
    expect(store.calls).toHaveLength(2);
    store.calls[1].settle(0);
    await pruning.stop();
  });

  test('a pass the store fails is a warning naming what to expect, and the next pass prunes', async () => {
    const store = heldPrunes();
    const { lines, logger } = logLines();
    const pruning = new StoreHousekeeping({ flowLocks: store.locks, storage: noneSetAside }, logger, { everyMs: 5 });
    pruning.start();
    store.calls[0].settle(new Error('store unavailable'));
    await store.asked(2);
    store.calls[1].settle(12);
    await pruning.stop();
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([
      expect.objectContaining({ level: 40, msg: 'expired locks not pruned; tried again next pass', err: expect.objectContaining({ message: 'store unavailable' }) }),
    ]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'expired locks pruned', pruned: 12 }));
  });

  test('each pass also removes the values set aside over 30 days ago, a bounded number; a failure of one prune leaves the other', async () => {
    const store = heldPrunes();
    const { lines, logger } = logLines();
    const now = new Date('2026-12-07T16:00:00.000Z');
    const asked: Array<{ before: Date; max: number }> = [];
    const pruneSetAside = async (before: Date, max: number) => {
      asked.push({ before, max });
      if (asked.length === 1) throw new Error('state store unavailable');
      return 4;
    };
    const housekeeping = new StoreHousekeeping({ flowLocks: store.locks, storage: { pruneSetAside } }, logger, { everyMs: 5, now: () => now });
    housekeeping.start();
    store.calls[0].settle(2);
    await store.asked(2);
    store.calls[1].settle(0);
    await housekeeping.stop();
    expect(asked).toEqual([{ before: new Date('2026-11-07T16:00:00.000Z'), max: 200 }, { before: new Date('2026-11-07T16:00:00.000Z'), max: 200 }]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'expired locks pruned', pruned: 2 }));
    expect(lines.filter((l) => (l.level as number) >= 30)).toEqual([
      expect.objectContaining({ level: 40, msg: 'bot state values set aside past their retention not removed; tried again next pass', err: expect.objectContaining({ message: 'state store unavailable' }) }),
      expect.objectContaining({ level: 30, msg: 'bot state values set aside past their retention removed', removed: 4, keptDays: 30 }),
    ]);
  });
});
