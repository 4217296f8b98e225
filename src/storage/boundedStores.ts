import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';

// Not cockatiel's isTaskCancelledError: in 3.2 it tests for the bulkhead's marker, and is false for a time-out.
/** Whether a cockatiel deadline ran out. */
export const timedOut = (err: unknown): boolean => err instanceof TaskCancelledError;
import { StateStores, StateStoreUnavailable } from './stateStores';

/** How long one state operation may take before the turn or the poll waiting for it gives up (Azure Storage answers in milliseconds). */
export const STATE_DEADLINE_MS = 3000;

/** A failure of the store itself (no answer, a network error, a 5xx), as opposed to an answer such as 404 or 412 that callers handle. */
function unavailable(err: unknown): boolean {
  if (timedOut(err)) return true;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status !== 'number' || status >= 500;
}

function bounded<T extends object>(target: T, ms: number): T {
  const deadline = timeout(ms, TimeoutStrategy.Aggressive);
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(t, args);
        if (!(result instanceof Promise)) return result;
        return deadline.execute(() => result).catch((err: unknown) => {
          if (!unavailable(err)) throw err;
          throw new StateStoreUnavailable(timedOut(err) ? `the state store did not answer within ${ms} ms` : `the state store failed: ${String((err as Error)?.message ?? err).split('\n')[0]}`, { cause: err });
        });
      };
    },
  });
}

/**
 * Azure stores whose every operation answers within `ms` or fails with StateStoreUnavailable, as does one
 * that fails for a reason of the store's own: a turn then answers at once that storage is not answering.
 */
export function boundedStores(stores: StateStores, ms = STATE_DEADLINE_MS): StateStores {
  return {
    ...stores,
    storage: bounded(stores.storage, ms),
    refs: bounded(stores.refs, ms),
    approvals: bounded(stores.approvals, ms),
    watches: bounded(stores.watches, ms),
    dataflowWatches: bounded(stores.dataflowWatches, ms),
    flowLocks: bounded(stores.flowLocks, ms),
  };
}
