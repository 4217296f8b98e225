import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTRS, SPANS } from './names';
import { tracer } from './tracing';

const CONFLICT = 412;

/**
 * Operations that change no state (reads), and the short locks every turn takes and frees: when one succeeds
 * inside a span (a turn, a service call, a poll) it is an event on that span if it took SLOW_MS or more, and
 * not recorded if it took less (a local read of a few microseconds says nothing, and recording it would cost
 * more than the read). Writes, and any operation that fails, are spans of their own.
 */
const LIGHT = new Set(['read', 'readTexts', 'get', 'list', 'reported', 'pendingFor', 'dueForExpiry', 'cards', 'history', 'tryAcquire', 'release']);
const SLOW_MS = 1;

function failed(span: Span, error: unknown): void {
  const conflict = (error as { statusCode?: unknown } | null)?.statusCode === CONFLICT;
  span.setAttributes({ [ATTRS.outcome]: conflict ? 'conflict' : 'error', [ATTRS.etagConflict]: conflict });
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** One operation, recorded as it ends: a span, or an event on `parent` when it is light and succeeded. */
function recorder(name: string, attributes: Attributes, light: boolean) {
  const parent = light ? trace.getActiveSpan() : undefined;
  if (!parent?.isRecording()) {
    const span = tracer().startSpan(name, { attributes });
    return { ok: () => { span.setAttribute(ATTRS.outcome, 'ok'); span.end(); }, failed: (error: unknown) => failed(span, error) };
  }
  const started = performance.now();
  return {
    ok: () => {
      const ms = performance.now() - started;
      if (ms >= SLOW_MS) parent.addEvent(name, { ...attributes, [ATTRS.outcome]: 'ok', [ATTRS.durationMs]: ms }, Date.now() - ms);
    },
    failed: (error: unknown) => failed(tracer().startSpan(name, { attributes, startTime: Date.now() - (performance.now() - started) }, trace.setSpan(context.active(), parent)), error),
  };
}

/**
 * The same store, each method call recorded (backend, store, operation, outcome; an ETag conflict, a 412 on
 * either backend, is marked): a span, or an event on the span it ran in (see LIGHT). Sync and async methods
 * alike; errors pass through unchanged.
 */
export function tracedStore<T extends object>(backend: string, store: string, target: T): T {
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  const wrap = (prop: string) => {
    const name = `${SPANS.stateOperation}.${store}.${prop}`;
    const attributes = { [ATTRS.backend]: backend, [ATTRS.store]: store, [ATTRS.operation]: prop };
    const light = LIGHT.has(prop);
    return (...args: unknown[]) => {
      const record = recorder(name, attributes, light);
      try {
        const result = (Reflect.get(target, prop, target) as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) return result.then((v) => { record.ok(); return v; }, (err: unknown) => { record.failed(err); throw err; });
        record.ok();
        return result;
      } catch (err) {
        record.failed(err);
        throw err;
      }
    };
  };
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let wrapper = wrappers.get(prop);
      if (!wrapper) wrappers.set(prop, (wrapper = wrap(prop)));
      return wrapper;
    },
  });
}
