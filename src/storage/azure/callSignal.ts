import { AsyncLocalStorage } from 'node:async_hooks';
import type { TableServiceClientOptions } from '@azure/data-tables';

type AdditionalPolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number];

// The stores' interfaces (the domain's) carry no signal: the state deadline hands it down the call instead.
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs one store operation under `signal`: every Azure request it makes is cancelled when the signal aborts. */
export function withCallSignal<T>(signal: AbortSignal, work: () => T): T {
  return scope.run(signal, work);
}

/** The signal of the store operation running now, if it runs under one. */
export const callSignal = (): AbortSignal | undefined => scope.getStore();

/**
 * A pipeline policy for the Azure clients that take one (TableClient): each request of an operation run under
 * withCallSignal gets its signal, so the SDK stops the request and its retries when the deadline gives up on it.
 */
export const callSignalPolicy: AdditionalPolicy = {
  position: 'perCall',
  policy: {
    name: 'stateCallSignal',
    sendRequest(request, next) {
      const signal = scope.getStore();
      const own = request.abortSignal;
      if (signal) request.abortSignal = own === undefined ? signal : own instanceof AbortSignal ? AbortSignal.any([own, signal]) : own;
      return next(request);
    },
  },
};

/**
 * The Azure SDKs' own retries, kept short so that a blip (a 503, a dropped connection) is retried well inside
 * the state deadline; a store that stays silent is cut off by the deadline's signal, not by these.
 */
export const RETRIES = {
  tables: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  blobs: { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
} as const;
