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
    ['bot state', () => stores.storage.readTexts(['a'])],
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

describe('boundedStores: what counts as storage being unavailable', () => {
  /** Stores whose every method fails with `err`. */
  const failingWith = (err: unknown) => {
    const failing = <T>(): T => new Proxy({}, { get: () => () => Promise.reject(err) }) as T;
    return boundedStores({
      kind: 'azure', storage: failing(), refs: failing(), approvals: failing(), watches: failing(), dataflowWatches: failing(), flowLocks: failing(),
      leadership: soleInstance, close: async () => undefined,
    } satisfies StateStores, 1_000);
  };
  const restError = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { statusCode });

  test.each([
    ['no token for it (the managed identity endpoint refused)', Object.assign(new Error('ManagedIdentityCredential: Authentication failed.'), { name: 'CredentialUnavailableError' })],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10000'), { code: 'ECONNREFUSED' })],
    ['503', restError(503)],
    ['401: the credentials are no longer accepted', restError(401)],
    ['403: the role was taken away', restError(403)],
  ])('%s: StateStoreUnavailable, so the person gets the storage notice', async (_name, err) => {
    await expect(failingWith(err).storage.readTexts(['a'])).rejects.toThrow(StateStoreUnavailable);
  });

  test.each([404, 409, 412])('%s is an answer the caller handles, passed on as it is', async (status) => {
    const err = restError(status);
    await expect(failingWith(err).refs.get('c')).rejects.toBe(err);
  });
});
