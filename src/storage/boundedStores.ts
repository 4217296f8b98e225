import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import { withCallSignal } from './azure/callSignal';
import { StateStores, StateStoreUnavailable } from './stateStores';

// Not cockatiel's isTaskCancelledError: in 3.2 it tests for the bulkhead's marker, and is false for a time-out.
/** Whether a cockatiel deadline ran out. */
export const timedOut = (err: unknown): boolean => err instanceof TaskCancelledError;
/** What a state call past its deadline failed with (the store's calls, and /readyz's probe). */
export const noAnswerWithin = (ms: number): string => `the state store did not answer within ${ms} ms`;

/** How long one state operation may take before the turn or the poll waiting for it gives up (Azure Storage answers in milliseconds). */
export const STATE_DEADLINE_MS = 3000;

/**
 * A failure of the store itself (no answer, a network error, no token for it, a 5xx, or 401/403: the bot's credentials
 * or role no longer accepted, which the person can only wait out too), as opposed to an answer such as 404 or 412
 * that callers handle.
 */
function unavailable(err: unknown): boolean {
  if (timedOut(err)) return true;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status !== 'number' || status >= 500 || status === 401 || status === 403;
}

function bounded<T extends object>(target: T, ms: number, closing: AbortSignal): T {
  // Aggressive: the caller is answered at the deadline whatever the call does; the signal (also aborted by
  // close()) then cancels the call's requests, so an abandoned write neither retries nor lands later.
  const deadline = timeout(ms, TimeoutStrategy.Aggressive);
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const cancel = new AbortController();
        const result = withCallSignal(cancel.signal, () => (value as (...a: unknown[]) => unknown).apply(t, args));
        if (!(result instanceof Promise)) return result;
        const call = deadline.execute(({ signal }) => {
          const stop = () => cancel.abort(signal.reason);
          if (signal.aborted) stop();
          else signal.addEventListener('abort', stop, { once: true });
          return result;
        }, closing);
        return call.catch((err: unknown) => {
          if (!unavailable(err)) throw err;
          throw new StateStoreUnavailable(timedOut(err) ? noAnswerWithin(ms) : `the state store failed: ${String((err as Error)?.message ?? err).split('\n')[0]}`, { cause: err });
        });
      };
    },
  });
}

/**
 * Azure stores whose every operation answers within `ms` or fails with StateStoreUnavailable, as does one
 * that fails for a reason of the store's own: a turn then answers at once that storage is not answering.
 * The operation itself is cancelled then, and close() cancels every one still running.
 */
export function boundedStores(stores: StateStores, ms = STATE_DEADLINE_MS): StateStores {
  const closing = new AbortController();
  return {
    ...stores,
    storage: bounded(stores.storage, ms, closing.signal),
    refs: bounded(stores.refs, ms, closing.signal),
    approvals: bounded(stores.approvals, ms, closing.signal),
    watches: bounded(stores.watches, ms, closing.signal),
    dataflowWatches: bounded(stores.dataflowWatches, ms, closing.signal),
    flowLocks: bounded(stores.flowLocks, ms, closing.signal),
    close: async () => {
      closing.abort();
      await stores.close();
    },
  };
}
