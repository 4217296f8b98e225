import http from 'node:http';
import restify from 'restify';
import { InFlight } from '../src/http/server';
import { LOCK_TTL_MS } from '../src/locks/guardPersonTurns';
import { createLogger } from '../src/logger';
import { BACKGROUND_STOPPED_MS, ProcessLife, SHUTDOWN_WAITS_MS, WATCHER_STOPPED_MS } from '../src/processLife';
import type { Leadership } from '../src/storage/stateStores';
import { lifeParts } from './helpers/lifeParts';

/** A lease held from the start that, like the blob lease, reports the lead lost when it is given up. */
function heldLease(): Leadership {
  let onLoss = () => undefined as void;
  let leading = false;
  return {
    start(gain, loss) { onLoss = loss; leading = true; gain(); },
    isLeader: () => leading,
    async stop() { leading = false; onLoss(); },
  };
}

// Issue 28: a shutdown leaves nothing running behind it (an interval left running kept Jest's worker alive).
test('closing the lead instance leaves its run watcher stopped: it neither polls nor follows runs afterwards', async () => {
  const running = new Set<string>();
  const watcher = {
    start: () => { running.add('polling'); },
    follow: () => { running.add('following'); },
    // As the real watcher's: it waits for the poll in progress before it resolves.
    stop: async () => { running.clear(); await new Promise((r) => setTimeout(r, 20)); },
  };
  const life = new ProcessLife(lifeParts({ leadership: heldLease(), watcher }));
  await life.start({ server: restify.createServer(), port: 0, host: '127.0.0.1' });
  expect([...running].sort()).toEqual(['following', 'polling']);

  await life.close();
  await new Promise((r) => setTimeout(r, 100));
  expect([...running]).toEqual([]);
});

// The expired locks are pruned by the process itself, not by a feature's sweep: on every instance, lead or not.
test('the lock housekeeping runs on an instance that never leads, and close waits for its prune before the stores close', async () => {
  const order: string[] = [];
  const housekeeping = {
    start: () => { order.push('housekeeping started'); },
    // As the real one's: it waits for the prune in progress before it resolves.
    stop: async () => { await new Promise((r) => setTimeout(r, 20)); order.push('housekeeping stopped'); },
  };
  const life = new ProcessLife(lifeParts({ housekeeping, stores: { close: async () => { order.push('stores closed'); } } }));
  const server = restify.createServer();
  try {
    await life.start({ server, port: 0, host: '127.0.0.1' });
    expect(order).toEqual(['housekeeping started']);

    await life.close();
    expect(order).toEqual(['housekeeping started', 'housekeeping stopped', 'stores closed']);
  } finally {
    server.close(); // a failed assertion leaves no server listening
  }
});

// A connection the server does not close by itself once the turns are drained (an answer still being written, a turn
// past the drain's bound, a server without the "Connection: close" of src/http/server.ts) is cut soon after: the
// watcher, the housekeeping and the stores are not left waiting for the keep-alive time.
test('close ends the connections still open once the turns are drained, instead of waiting for the keep-alive time', async () => {
  const inFlight = new InFlight();
  const order: string[] = [];
  const life = new ProcessLife(lifeParts({
    inFlight, housekeeping: { start: () => undefined, stop: async () => { order.push('housekeeping stopped'); } }, stores: { close: async () => { order.push('stores closed'); } },
  }));
  const server = restify.createServer();
  server.server.keepAliveTimeout = 60_000;
  server.get('/turn', async (_req, res) => { await inFlight.track(() => new Promise((r) => setTimeout(r, 200))); res.send(200, { ok: true }); });
  const agent = new http.Agent({ keepAlive: true });
  try {
    const port = await life.start({ server, port: 0, host: '127.0.0.1' });
    const answered = new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/turn', agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 50)); // the turn is running
    const started = Date.now();
    const closing = life.close();
    expect(await answered).toBe(200);
    await closing;
    expect(order).toEqual(['housekeeping stopped', 'stores closed']);
    expect(Date.now() - started).toBeLessThan(5_000); // not the keep-alive time (60 s)
  } finally {
    agent.destroy();
    server.server.closeAllConnections();
  }
}, 20_000);

// A turn can outlast the 10 s the shutdown gives the turns before it cuts the connections (a Create that retries
// through time-outs takes minutes, src/http/server.ts): its state save and its lock's release still go to the stores,
// which must wait for it. The turn is tracked here without a connection: what counts is that the stores wait for it.
test('a turn still running 15 s into a shutdown (a slow Create) gets to save its state before the stores close', async () => {
  const inFlight = new InFlight();
  const order: string[] = [];
  const life = new ProcessLife(lifeParts({ inFlight, stores: { close: async () => { order.push('stores closed'); } } }));
  const server = restify.createServer();
  await life.start({ server, port: 0, host: '127.0.0.1' });
  let finish = () => undefined as void;
  const turn = inFlight.track(async () => { await new Promise<void>((r) => { finish = r; }); order.push('turn state saved'); });
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const closing = life.close();
    await jest.advanceTimersByTimeAsync(15_000);
    finish();
    await turn;
    await jest.advanceTimersByTimeAsync(2_000);
    await closing;
    expect(order).toEqual(['turn state saved', 'stores closed']);
  } finally {
    jest.useRealTimers();
    server.server.closeAllConnections();
  }
});

const never = () => new Promise<void>(() => undefined);

// The lead's watcher stops once its poll in progress ended, and a dataflow poll of a Dataverse that throttles (each page
// waiting out its Retry-After) can take minutes: past the grace App Service gives (120 s), the process would be killed
// before its stores closed or "bot stopped" was logged. So can a card button answered "working on it", which goes on as
// background work (teams/cardActions.ts) and waits out its service's Retry-After alike.
test.each([
  ['a run watcher that cannot stop (a poll held by a throttling service)', { watcher: { start: () => undefined, follow: () => undefined, stop: never } }, WATCHER_STOPPED_MS, /run watcher still busy/],
  ['background work that does not end (a late card action held by a throttling service)', { background: { idle: never } }, BACKGROUND_STOPPED_MS, /background work still running/],
] as const)('%s holds a shutdown only for a bounded time', async (_, stuck, boundMs, warning) => {
  const order: string[] = [];
  const warnings: string[] = [];
  const logger = createLogger('silent');
  logger.warn = ((_: unknown, message: string) => { warnings.push(message); }) as typeof logger.warn;
  const life = new ProcessLife(lifeParts({ ...stuck, logger, stores: { close: async () => { order.push('stores closed'); } } }));
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const closing = life.close();
    await jest.advanceTimersByTimeAsync(boundMs + 1_000);
    await closing;
    expect(order).toEqual(['stores closed']);
    expect(warnings).toEqual([expect.stringMatching(warning)]);
    expect(SHUTDOWN_WAITS_MS).toBeGreaterThanOrEqual(WATCHER_STOPPED_MS + LOCK_TTL_MS + BACKGROUND_STOPPED_MS);
  } finally {
    jest.useRealTimers();
  }
});
