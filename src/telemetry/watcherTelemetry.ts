import { context, createContextKey } from '@opentelemetry/api';
import { instruments } from './meters';
import { ATTRS, SPANS } from './names';
import { elapsedMs, inSpan } from './tracing';

const POLL_CALLS = createContextKey('dibot.watcher.pollCalls');

/** What a poll reports back (the watcher's PollSummary has at least these). */
interface PollFigures { watches: number; failures?: number }

/** Wraps one run-watcher poll: its span, its duration, the watches it checked and the service calls it made. */
export function tracePoll<T extends PollFigures>(poll: () => Promise<T>): Promise<T> {
  const calls = { count: 0 };
  const started = performance.now();
  return context.with(context.active().setValue(POLL_CALLS, calls), () => inSpan(SPANS.watcherPoll, {}, async (span) => {
    const summary = await poll();
    const m = instruments();
    m.pollDuration.record(elapsedMs(started));
    m.pollWatches.record(summary.watches);
    m.pollCalls.record(calls.count);
    span.setAttributes({ [ATTRS.watches]: summary.watches, [ATTRS.calls]: calls.count, [ATTRS.failures]: summary.failures ?? 0 });
    return summary;
  }));
}

/** Counts a service call into the poll it belongs to, if any (the HTTP client calls this). */
export function countPollCall(): void {
  const calls = context.active().getValue(POLL_CALLS) as { count: number } | undefined;
  if (calls) calls.count++;
}

/**
 * Wraps one alert delivery: its span, sent/failed/gone, and the latency from the end of the run it
 * reports to the connector's acceptance (alerts about no run, such as stalls, have no latency).
 */
export function traceAlert<T extends { status: string }>(alert: AlertLike, deliver: () => Promise<T>): Promise<T> {
  return inSpan(SPANS.alertDelivery, { [ATTRS.alertKind]: alert.kind }, async (span) => {
    const result = await deliver();
    const m = instruments();
    m.alerts.add(1, { [ATTRS.alertKind]: alert.kind, [ATTRS.outcome]: result.status });
    span.setAttribute(ATTRS.outcome, result.status);
    const endedAt = endedAtOf(alert);
    const ended = endedAt ? Date.parse(endedAt) : NaN;
    if (result.status === 'sent' && Number.isFinite(ended)) {
      const latency = Math.max(0, Date.now() - ended);
      m.alertLatency.record(latency, { [ATTRS.alertKind]: alert.kind });
      span.setAttribute(ATTRS.alertLatencyMs, latency);
    }
    return result;
  });
}

/** Reports the outbox's depth whenever metrics are collected. */
export function observeOutbox(depth: () => number): void {
  instruments().outboxDepth.addCallback((result) => result.observe(depth()));
}

/** An alert as the watcher hands it to its channel (structurally: src/notifications/watchAlert.ts). */
interface AlertLike {
  kind: string;
  alert?: { endedAt?: string };
  alerts?: ReadonlyArray<{ endedAt?: string }>;
  execution?: { endedAt?: string };
}

/**
 * When the newest run an alert reports ended, as the service says (undefined for alerts about no run: stalls, sign-in;
 * and for a run the service gave no end time: its start would count the run's own length as latency).
 */
function endedAtOf(a: AlertLike): string | undefined {
  if (a.alert) return a.alert.endedAt;
  if (a.alerts) return a.alerts.map((x) => x.endedAt ?? '').sort().pop() || undefined;
  return a.execution?.endedAt;
}
