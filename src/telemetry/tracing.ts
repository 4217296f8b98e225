import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

let cached: Tracer | undefined;

/** The bot's tracer, through the API alone: a no-op until src/telemetry/startTelemetry.ts registers an SDK. */
export function tracer(): Tracer {
  return (cached ??= trace.getTracer('dibot'));
}

/** What a span needs besides its name. */
export interface SpanOptions {
  kind?: SpanKind;
  /** The context to start in (an incoming traceparent); the active one otherwise. */
  parent?: Context;
}

/**
 * Runs `work` in a new active span and ends it. A failure sets the span's status and rethrows; the
 * error's message is never recorded (it may quote what a person typed or a service's answer).
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, options: SpanOptions = {}): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(name, { attributes, kind: options.kind ?? SpanKind.INTERNAL }, parent, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Milliseconds since `started` (performance.now()), for histograms. */
export function elapsedMs(started: number): number {
  return performance.now() - started;
}
