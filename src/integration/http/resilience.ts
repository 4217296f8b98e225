import {
  ExponentialBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  TaskCancelledError,
  TimeoutStrategy,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { DataIntegrationError } from '../errors';

/** Retry and time-out settings of the HTTP client. */
export interface ResilienceOptions {
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay (jittered exponential); default 500 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the caller gets a `throttled` error. */
  maxRetryAfterMs?: number;
}

/** Statuses that mean "not processed, try again": safe to retry even for a POST. */
const NOT_PROCESSED = new Set([429, 503]);

/** Network failures before the request could leave (no connection, no such host): nothing reached the service. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The system error code under fetch's "fetch failed" (its cause), if any. */
const systemCodeOf = (error: unknown): unknown => (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;

/**
 * Whether a failed call may still have been carried out: the service may have received it and acted before a 5xx
 * (other than 503), a reset or a time-out. A write failing so is neither resent nor said to have changed nothing.
 */
export function mayHaveActed(error: DataIntegrationError): boolean {
  if (error.code === 'timeout') return true;
  if (error.code === 'network') return !NEVER_SENT.has(String(systemCodeOf(error.cause)));
  return error.code === 'server_error' && !NOT_PROCESSED.has(error.status ?? 0);
}

const retryAfterOf = (error: unknown): number | undefined =>
  error instanceof DataIntegrationError ? error.retryAfterMs : undefined;

/** Waits the jittered exponential step, or the service's Retry-After when that is longer. */
function honourRetryAfter(inner: IBackoffFactory<unknown>): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context) {
      const step = inner.next(context);
      const hinted = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
      // A hint is a floor, never less than the backoff: "Retry-After: 0" must not hammer a throttled service.
      return { duration: Math.max(hinted ?? 0, step.duration), next: honourRetryAfter(step).next };
    },
  };
}

/** Builds the per-attempt time-out inside a bounded retry, for idempotent and other routes. */
export function createResilience(options: ResilienceOptions) {
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const transient = (idempotent: boolean) => (error: Error): boolean => {
    if (error instanceof TaskCancelledError) return idempotent;
    if (!(error instanceof DataIntegrationError) || !error.retryable) return false;
    if ((error.retryAfterMs ?? 0) > maxRetryAfterMs) return false;
    // A 500, a reset or a time-out may come after the service acted: resending a POST could run a project twice.
    return idempotent || !mayHaveActed(error);
  };
  const build = (idempotent: boolean) =>
    wrap(
      retry(handleWhen(transient(idempotent)), {
        maxAttempts: options.maxRetries,
        backoff: honourRetryAfter(
          new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 500, maxDelay: options.maxDelayMs ?? 10_000 }),
        ),
      }),
      timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
    );
  const idempotentPolicy = build(true);
  const unsafePolicy = build(false);
  return { forRoute: (idempotent: boolean) => (idempotent ? idempotentPolicy : unsafePolicy) };
}

/** The policy type that createResilience hands out. */
export type ResiliencePolicy = ReturnType<ReturnType<typeof createResilience>['forRoute']>;
