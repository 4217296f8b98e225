import { TaskCancelledError } from 'cockatiel';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ACCESS_REFUSED, DataIntegrationError, isDataIntegrationError } from '../errors';
import type { TokenProvider } from '../port';
import { SpanKind, type Span, trace } from '@opentelemetry/api';
import { ATTRS, SPANS } from '../../telemetry/names';
import { recordServiceCall } from '../../telemetry/recorders';
import { inSpan } from '../../telemetry/tracing';
import { countPollCall } from '../../telemetry/watcherTelemetry';
import { isUnderBaseUrl, ROUTES, type RouteSpec, routeUrl } from '../routes';
import { createResilience, mayHaveActed, type ResilienceOptions } from './resilience';
import { errorFromResponse, parseResponse, SERVICE_LABELS } from './responseErrors';

const ROUTE_NAMES = new Map<RouteSpec, string>(Object.entries(ROUTES).map(([name, spec]) => [spec, name]));
/** The route's name in the route table (`listProjects`…), as telemetry reports it. */
const routeNameOf = (route: RouteSpec): string => ROUTE_NAMES.get(route) ?? `${route.service} ${route.method} ${route.path}`;

/** What the HTTP client needs besides the retry settings. */
export interface HttpClientOptions extends ResilienceOptions {
  tokens: TokenProvider;
  logger?: Logger;
}

/** One call: a route of the table, where to send it, how to authorise and parse it. */
export interface HttpCall<T> {
  route: RouteSpec;
  /** The route's name in the table, where the caller knows it (an overridden route is a new spec). */
  name?: string;
  baseUrl: string;
  scope: string;
  schema: z.ZodType<T>;
  params?: Readonly<Record<string, string>>;
  body?: unknown;
  /** An absolute URL that replaces the route's, e.g. a `nextLink`. */
  url?: URL;
}

/** The one request helper: bearer token, time-out, retries, a single token refresh on 401, zod parsing. */
export class HttpClient {
  private readonly resilience: ReturnType<typeof createResilience>;

  constructor(private readonly options: HttpClientOptions) {
    this.resilience = createResilience(options);
  }

  /** Sends the call and returns its parsed body; rejects only with DataIntegrationError. Traced and counted per route. */
  send<T>(call: HttpCall<T>): Promise<T> {
    const route = call.name ?? routeNameOf(call.route);
    countPollCall();
    return inSpan(SPANS.serviceCall, { [ATTRS.route]: route, [ATTRS.service]: call.route.service }, (span) => this.sendTraced(call, route, span), { kind: SpanKind.CLIENT });
  }

  private async sendTraced<T>(call: HttpCall<T>, route: string, span: Span): Promise<T> {
    const url = call.url ?? routeUrl(call.baseUrl, call.route, call.params);
    const what = `${call.route.method} ${call.route.path}`;
    const started = Date.now();
    try {
      this.refuseOutsideBase(call, url);
      const text = await this.withOneRefresh(call, url);
      const result = parseResponse(call.route.service, what, call.schema, text);
      this.options.logger?.debug({ service: call.route.service, route: what, ms: Date.now() - started }, 'service call ok');
      span.setAttribute(ATTRS.status, 'ok');
      recordServiceCall(route, 'ok', Date.now() - started);
      return result;
    } catch (error) {
      const failure = this.asDataIntegrationError(error, call);
      this.options.logger?.warn(
        { service: failure.service, route: what, status: failure.status, code: failure.code, ms: Date.now() - started },
        'service call failed',
      );
      const status = String(failure.status ?? failure.code);
      span.setAttributes({ [ATTRS.status]: status, [ATTRS.errorCode]: failure.code });
      recordServiceCall(route, status, Date.now() - started, failure.code);
      throw failure;
    }
  }

  /** No token leaves for an address outside the service's base URL, whether a route, a paging link or anything later built it. */
  private refuseOutsideBase(call: HttpCall<unknown>, url: URL): void {
    if (isUnderBaseUrl(url, call.baseUrl)) return;
    const service = call.route.service;
    // The origin only: a path or query may carry what the service put there.
    this.options.logger?.error({ service, refusedOrigin: url.origin, baseOrigin: new URL(call.baseUrl).origin }, 'refused to send a token outside the base URL');
    throw new DataIntegrationError(`${SERVICE_LABELS[service]}: refused to call ${url.origin}, outside ${call.baseUrl}`, { service, code: 'refused_address' });
  }

  private async withOneRefresh(call: HttpCall<unknown>, url: URL): Promise<string> {
    try {
      return await this.withRetries(call, url, await this.token(call, false));
    } catch (error) {
      if (!isDataIntegrationError(error, 'unauthorized')) throw error;
      return this.withRetries(call, url, await this.token(call, true));
    }
  }

  private withRetries(call: HttpCall<unknown>, url: URL, token: string): Promise<string> {
    return this.resilience
      .forRoute(call.route.idempotent)
      // A signal of its own: without one, cockatiel hangs every call's time-out on one shared signal, and more than
      // ten calls in flight (the watcher's sixteen, a busy hour of setups) print MaxListenersExceededWarning.
      .execute(({ signal, attempt }) => this.attempt(call, url, token, signal, attempt), new AbortController().signal);
  }

  private async attempt(call: HttpCall<unknown>, url: URL, token: string, signal: AbortSignal, attempt: number): Promise<string> {
    const { service, method } = call.route;
    const span = trace.getActiveSpan();
    span?.setAttribute(ATTRS.attempt, attempt + 1);
    if (attempt > 0) this.options.logger?.info({ service, route: call.route.path, attempt }, 'retrying service call');
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal,
        // Not followed: a redirect would carry the token to an address refuseOutsideBase never saw (the 3xx is an error).
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
    } catch (cause) {
      if (signal.aborted) throw cause;
      throw new DataIntegrationError(`${SERVICE_LABELS[service]} could not be reached`, {
        service, code: 'network', retryable: true, cause,
      });
    }
    const text = await response.text();
    if (response.ok) return text;
    const failure = errorFromResponse(service, response.status, response.headers.get('retry-after'), text);
    // Each refused attempt is an event on the call's span: status and the Retry-After the service asked for.
    span?.addEvent(SPANS.serviceAttempt, {
      [ATTRS.attempt]: attempt + 1, [ATTRS.status]: response.status, ...(failure.retryAfterMs === undefined ? {} : { [ATTRS.retryAfterMs]: failure.retryAfterMs }),
    });
    throw failure;
  }

  private async token(call: HttpCall<unknown>, forceRefresh: boolean): Promise<string> {
    try {
      const token = await this.options.tokens.getToken(call.scope, forceRefresh ? { forceRefresh } : undefined);
      if (!token) throw new Error('the token provider returned an empty token');
      return token;
    } catch (cause) {
      if (cause instanceof DataIntegrationError) throw cause;
      throw new DataIntegrationError(`No access token for ${SERVICE_LABELS[call.route.service]} (${call.scope})`, {
        service: call.route.service, code: 'no_token', cause,
      });
    }
  }

  private asDataIntegrationError(error: unknown, call: HttpCall<unknown>): DataIntegrationError {
    const failure = this.asTyped(error, call);
    // A write that failed once the service may have had it must not be said to have changed nothing.
    return call.route.method !== 'GET' && mayHaveActed(failure) ? failure.maybeActed() : failure;
  }

  private asTyped(error: unknown, call: HttpCall<unknown>): DataIntegrationError {
    // A refusal says whose token was refused: the person's sign-in, or the bot's own identity (an admin's to fix).
    if (error instanceof DataIntegrationError) return ACCESS_REFUSED.has(error.code) ? error.carrying(this.options.tokens.holder?.(call.scope)) : error;
    const service = call.route.service;
    if (error instanceof TaskCancelledError) {
      return new DataIntegrationError(`${SERVICE_LABELS[service]} did not answer within ${this.options.timeoutMs} ms`, {
        service, code: 'timeout', retryable: true, cause: error,
      });
    }
    return new DataIntegrationError(`${SERVICE_LABELS[service]} call failed`, { service, code: 'network', retryable: true, cause: error });
  }
}
