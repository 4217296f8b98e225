import { type Attributes, type Counter, type Histogram, metrics, type ObservableCounter, type ObservableGauge } from '@opentelemetry/api';
import { METRICS } from './names';

/** Every instrument the bot records into; created on first use, after the SDK (if any) was registered. */
export interface Instruments {
  /** Observed from `turnCounts` when metrics are collected: a turn adds to a number instead of calling the SDK. */
  turns: ObservableCounter;
  turnDuration: Histogram;
  errors: Counter;
  serviceCalls: Counter;
  serviceDuration: Histogram;
  pollDuration: Histogram;
  pollWatches: Histogram;
  pollCalls: Histogram;
  alerts: Counter;
  alertLatency: Histogram;
  connectorThrottled: Counter;
  outboxDepth: ObservableGauge;
  leaseHeld: ObservableGauge;
  leaseChanges: Counter;
  approvals: Counter;
  setups: Counter;
}

let cached: Instruments | undefined;

/** Turns handled since the start, by kind and outcome (key `kind outcome`): what `turns` reports. */
export const turnCounts = new Map<string, { attributes: Attributes; count: number }>();

/** The bot's instruments (no-ops until an SDK is registered: the API's meter is then a no-op meter). */
export function instruments(): Instruments {
  if (cached) return cached;
  const meter = metrics.getMeter('dibot');
  cached = {
    turns: meter.createObservableCounter(METRICS.turns, { unit: '{turn}', description: 'Turns handled, by kind and outcome' }),
    turnDuration: meter.createHistogram(METRICS.turnDuration, { unit: 'ms', description: 'Time to handle a turn' }),
    errors: meter.createCounter(METRICS.errors, { unit: '{error}', description: 'Service failures by error-catalogue code' }),
    serviceCalls: meter.createCounter(METRICS.serviceCalls, { unit: '{call}', description: 'Service calls by route and status' }),
    serviceDuration: meter.createHistogram(METRICS.serviceDuration, { unit: 'ms', description: 'Service call time, retries included' }),
    pollDuration: meter.createHistogram(METRICS.pollDuration, { unit: 'ms', description: 'Time of one run-watcher poll' }),
    pollWatches: meter.createHistogram(METRICS.pollWatches, { unit: '{watch}', description: 'Watches checked per poll' }),
    pollCalls: meter.createHistogram(METRICS.pollCalls, { unit: '{call}', description: 'Service calls per poll' }),
    alerts: meter.createCounter(METRICS.alerts, { unit: '{alert}', description: 'Alerts by outcome: sent, failed, gone' }),
    alertLatency: meter.createHistogram(METRICS.alertLatency, { unit: 'ms', description: 'Run ended to alert accepted by the Bot Connector' }),
    connectorThrottled: meter.createCounter(METRICS.connectorThrottled, { unit: '{response}', description: 'Bot Connector 429 answers' }),
    outboxDepth: meter.createObservableGauge(METRICS.outboxDepth, { unit: '{alert}', description: 'Alerts waiting to be sent' }),
    leaseHeld: meter.createObservableGauge(METRICS.leaseHeld, { unit: '1', description: '1 while this instance holds the leader lease' }),
    leaseChanges: meter.createCounter(METRICS.leaseChanges, { unit: '{change}', description: 'Leader lease gained or lost' }),
    approvals: meter.createCounter(METRICS.approvals, { unit: '{approval}', description: 'Schedule approvals requested, decided, expired' }),
    setups: meter.createCounter(METRICS.setups, { unit: '{setup}', description: 'Setups started, finished, abandoned' }),
  };
  cached.turns.addCallback((result) => { for (const { attributes, count } of turnCounts.values()) result.observe(count, attributes); });
  return cached;
}

/** Forgets the instruments, so the next use creates them on the meter provider registered since (startTelemetry). */
export function resetInstruments(): void {
  cached = undefined;
}
