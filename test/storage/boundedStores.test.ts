import { boundedStores } from '../../src/storage/boundedStores';
import { StateStores, StateStoreUnavailable, soleInstance } from '../../src/storage/stateStores';

/** A store whose every method waits for an answer that never comes (storage that accepts and does not answer). */
const silent = <T>(): T => new Proxy({}, { get: () => () => new Promise(() => undefined) }) as T;

// Every store a turn or a poll reads (the lease has a deadline of its own) gives up at the deadline with the
// failure that the turn answers "storage is not answering" for and the watchers log and retry at their next poll.
describe('boundedStores: no store waits past the state deadline', () => {
  const stores = boundedStores({
    kind: 'azure', storage: silent(), refs: silent(), approvals: silent(), watches: silent(), dataflowWatches: silent(), flowLocks: silent(),
    leadership: soleInstance, close: async () => undefined,
  } satisfies StateStores, 50);

  test.each([
    ['bot state', () => stores.storage.read(['a'])],
    ['conversation references', () => stores.refs.get('c')],
    ['approvals', () => stores.approvals.get('r')],
    ['project watches', () => stores.watches.list()],
    ['dataflow watches', () => stores.dataflowWatches.list()],
    ['person locks', () => stores.flowLocks.release('k', 'o')],
  ] as Array<[string, () => Promise<unknown>]>)('%s', async (_name, call) => {
    await expect(call()).rejects.toThrow(StateStoreUnavailable);
    await expect(call()).rejects.toThrow('did not answer within 50 ms');
  });
});
