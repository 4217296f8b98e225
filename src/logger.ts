import { trace } from '@opentelemetry/api';
import pino, { Logger } from 'pino';

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'token', '*.token', 'accessToken', '*.accessToken', 'password', '*.password',
  'secret', '*.secret', 'clientSecret', '*.clientSecret', 'authorization', '*.authorization',
  'headers.authorization', '*.headers.authorization', 'MicrosoftAppPassword', '*.MicrosoftAppPassword',
  'userToken', '*.userToken', 'assertion', '*.assertion',
];

export type { Logger };

/** The ids of the span a line is logged in (none while telemetry is off: the API then has no active span). */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Builds the process logger: JSON lines, level from config, secrets redacted, trace and span ids on each line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: 'di-teams-bot' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, mixin: traceIds },
    destination,
  );
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'app', 'msg']);

/** One JSON log line as a person reads it in a terminal: "12:04:05 WARN message key=value …". */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(entry).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [time, LEVELS[entry.level as number] ?? String(entry.level), entry.msg ?? '', ...fields].filter(Boolean).join(' ');
}

/** Where logs go when the output is a terminal: readable lines, redacted like the JSON ones (a pipe or file keeps JSON). */
export function humanDestination(out: { write(text: string): unknown }): pino.DestinationStream {
  return { write: (line: string) => { out.write(`${humanLine(line.trimEnd())}\n`); } };
}
