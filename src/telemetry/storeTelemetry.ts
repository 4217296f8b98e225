import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { ATTRS, SPANS } from './names';
import { tracer } from './tracing';

const CONFLICT = 412;

function finish(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const conflict = (error as { statusCode?: unknown } | null)?.statusCode === CONFLICT;
    span.setAttributes({ [ATTRS.outcome]: conflict ? 'conflict' : 'error', [ATTRS.etagConflict]: conflict });
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else {
    span.setAttribute(ATTRS.outcome, 'ok');
  }
  span.end();
}

/**
 * The same store, each method call in a span (backend, store, operation, outcome; an ETag conflict,
 * a 412 on either backend, is marked). Sync and async methods alike; errors pass through unchanged.
 */
export function tracedStore<T extends object>(backend: string, store: string, target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const span = tracer().startSpan(`${SPANS.stateOperation}.${store}.${prop}`, {
          attributes: { [ATTRS.backend]: backend, [ATTRS.store]: store, [ATTRS.operation]: prop },
        });
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (result instanceof Promise) return result.then((v) => { finish(span); return v; }, (err: unknown) => { finish(span, err); throw err; });
          finish(span);
          return result;
        } catch (err) {
          finish(span, err);
          throw err;
        }
      };
    },
  });
}
