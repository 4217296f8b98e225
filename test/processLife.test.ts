import restify from 'restify';
import { InFlight } from '../src/http/server';
import { createLogger } from '../src/logger';
import { ProcessLife } from '../src/processLife';
import type { Leadership } from '../src/storage/stateStores';

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
  const life = new ProcessLife({
    leadership: heldLease(), watcher, reminders: { start: () => undefined, stop: () => undefined },
    background: { idle: async () => undefined }, inFlight: new InFlight(), stores: { close: async () => undefined }, logger: createLogger('silent'),
  });
  await life.start({ server: restify.createServer(), port: 0, host: '127.0.0.1' });
  expect([...running].sort()).toEqual(['following', 'polling']);

  await life.close();
  await new Promise((r) => setTimeout(r, 100));
  expect([...running]).toEqual([]);
});
