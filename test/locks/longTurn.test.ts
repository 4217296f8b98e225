import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { guardPersonTurns } from '../../src/locks/guardPersonTurns';
import type { StateStores } from '../../src/storage/stateStores';
import { ADA } from '../helpers/activities';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';

/**
 * A turn can outlast the person lock's lease (a Create whose two calls retry through time-outs and Retry-After can
 * take minutes with the defaults): the lease is renewed while the turn runs, so a later click waits instead of
 * running beside it on the same state. The lease is shortened here to 1.5 s (long enough that a loaded machine's
 * Azurite still renews it in time: 300 ms was not); the turn takes 4 s.
 */
describe.each([sqliteBackend(), azureBackend()])('a long turn and the person lock on $name', (backend: StateBackend) => {
  let stores: StateStores;
  beforeAll(async () => { ({ stores } = await backend.open()); });
  afterAll(async () => { await stores.close(); await backend.stop(); });

  test('a click made after the lease would have run out waits for the slow turn instead of running beside it', async () => {
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const logic = guardPersonTurns(stores.flowLocks, createLogger('silent'), async (context) => {
      const n = String((context.activity.value as { n: number }).n);
      inside++;
      most = Math.max(most, inside);
      order.push(`start ${n}`);
      if (n === '1') await new Promise((resolve) => setTimeout(resolve, 4000));
      order.push(`end ${n}`);
      inside--;
    }, () => false, 1500);
    const adapter = new TestAdapter(async (context: TurnContext) => logic(context), { channelId: 'msteams' });
    adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
    adapter.conversation.conversation = { id: `a:long-turn-${backend.name}`, conversationType: 'personal' } as Activity['conversation'];

    const first = adapter.receiveActivity({ type: 'message', value: { verb: 'setup', n: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // twice the lease
    const second = adapter.receiveActivity({ type: 'message', value: { verb: 'setup', n: 2 } });
    await Promise.all([first, second]);
    expect(most).toBe(1);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});
