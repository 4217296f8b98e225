import { SpanKind } from '@opentelemetry/api';
import { ATTRS, SPANS } from './names';
import { recordThrottled } from './recorders';
import { inSpan } from './tracing';

const statusOf = (err: unknown): number | undefined => {
  const e = err as { status?: unknown; statusCode?: unknown } | undefined;
  const status = e?.status ?? e?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

/** Wraps one outgoing Bot Connector call (send, update, startThread): its span, its status, and a 429 counted. */
export function traceConnector<T>(operation: string, call: () => Promise<T>): Promise<T> {
  return inSpan(`${SPANS.connectorCall}.${operation}`, { [ATTRS.operation]: operation }, async (span) => {
    try {
      const result = await call();
      span.setAttribute(ATTRS.status, 'ok');
      return result;
    } catch (err) {
      const status = statusOf(err);
      span.setAttribute(ATTRS.status, status ?? 'network');
      if (status === 429) recordThrottled(operation);
      throw err;
    }
  }, { kind: SpanKind.CLIENT });
}
