import { context, type Context, type ContextManager, metrics, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { turnNameOf } from '../../src/http/traceTurn';
import { DeliveryError } from '../../src/notifications/outbound';
import { openBotDatabase } from '../../src/storage/database';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { ETagConflictError } from '../../src/storage/stateStores';
import { traceConnector } from '../../src/telemetry/connectorTelemetry';
import { resetInstruments } from '../../src/telemetry/meters';
import { recordTurn } from '../../src/telemetry/recorders';
import { ATTRS, METRICS } from '../../src/telemetry/names';
import { tracedStore } from '../../src/telemetry/storeTelemetry';
import { tempDataDir } from '../helpers/harness';

const spans = new InMemorySpanExporter();
const points = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: points, exportIntervalMillis: 3_600_000 });

/** Enough context for a store call that starts inside `with` to see the span there (no async_hooks needed). */
class CallContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context { return this.current; }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const before = this.current;
    this.current = ctx;
    try { return fn.call(thisArg, ...args); } finally { this.current = before; }
  }
  bind<T>(_ctx: Context, target: T): T { return target; }
  enable(): this { return this; }
  disable(): this { this.current = ROOT_CONTEXT; return this; }
}

beforeAll(() => {
  context.setGlobalContextManager(new CallContextManager());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  resetInstruments();
});
afterAll(async () => {
  await reader.shutdown();
  trace.disable();
  metrics.disable();
  context.disable();
  resetInstruments();
});

/** The value of a counter, summed over its points whose attributes include `where`. */
async function counted(name: string, where: Record<string, unknown>): Promise<number> {
  await reader.forceFlush();
  const last = points.getMetrics().at(-1);
  const metric = last?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + (p.value as number), 0);
}

describe('what the bot records', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a Bot Connector 429 is a span with that status and counts as throttling; a sent message is "ok"', async () => {
    await expect(traceConnector('send', async () => { throw new DeliveryError('Too many requests', 429, 'Throttled', 1000); })).rejects.toThrow('Too many requests');
    await traceConnector('send', async () => ({ id: '1' }));
    const sent = spans.getFinishedSpans().filter((s) => s.name === 'dibot.connector.send');
    expect(sent.map((s) => s.attributes[ATTRS.status])).toEqual([429, 'ok']);
    expect(await counted(METRICS.connectorThrottled, { [ATTRS.operation]: 'send' })).toBe(1);
  });

  test('a state write with a stale eTag is a span marked as an ETag conflict; the error reaches the caller unchanged', async () => {
    const storage = tracedStore('sqlite', 'botState', new SqliteStorage(openBotDatabase(tempDataDir())));
    await storage.write({ k: { n: 1 } });
    const { eTag } = (await storage.readTexts(['k'])).k!;
    await storage.write({ k: { n: 2, eTag } });
    await expect(storage.write({ k: { n: 3, eTag } })).rejects.toBeInstanceOf(ETagConflictError);
    const writes = spans.getFinishedSpans().filter((s) => s.name === 'dibot.state.botState.write');
    expect(writes.map((s) => [s.attributes[ATTRS.outcome], s.attributes[ATTRS.etagConflict]])).toEqual([['ok', undefined], ['ok', undefined], ['conflict', true]]);
    expect(writes[0].attributes).toMatchObject({ [ATTRS.backend]: 'sqlite', [ATTRS.store]: 'botState', [ATTRS.operation]: 'write' });
  });

  test('a read inside a turn is no span: an event on the turn\'s span when it took 1 ms or more, nothing when faster; a failed read is a span', async () => {
    // The clock moves only when a read says it took time: on a loaded machine a local read can itself take a millisecond.
    let now = performance.now();
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const storage = tracedStore('sqlite', 'botState', new SqliteStorage(openBotDatabase(tempDataDir())));
    const remote = tracedStore('azure', 'watches', { list: async () => { await new Promise((resolve) => setTimeout(resolve, 5)); now += 5; return []; } });
    const broken = tracedStore('sqlite', 'watches', { list: async () => { throw new Error('disk I/O error'); } });
    const turn = trace.getTracer('test').startSpan('dibot.turn');
    const inTurn = <T>(work: () => Promise<T>) => context.with(trace.setSpan(context.active(), turn), work);
    await inTurn(() => storage.readTexts(['k']));
    await inTurn(() => remote.list());
    await expect(inTurn(() => broken.list())).rejects.toThrow('disk I/O error');
    turn.end();
    const finished = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === turn.spanContext().traceId);
    const ended = finished.find((s) => s.spanContext().spanId === turn.spanContext().spanId)!;
    expect(ended.events.map((e) => [e.name, e.attributes?.[ATTRS.backend], e.attributes?.[ATTRS.outcome]])).toEqual([['dibot.state.watches.list', 'azure', 'ok']]);
    expect(ended.events[0].attributes?.[ATTRS.durationMs]).toBeGreaterThanOrEqual(1);
    expect(finished.map((s) => [s.name, s.attributes[ATTRS.outcome]])).toEqual([['dibot.state.watches.list', 'error'], ['dibot.turn', undefined]]);
  });

  test('turns are counted by kind and outcome, and timed', async () => {
    recordTurn('command', '200', 4);
    recordTurn('command', '200', 6);
    recordTurn('card', '500', 9);
    expect(await counted(METRICS.turns, { [ATTRS.turnKind]: 'command', [ATTRS.outcome]: '200' })).toBe(2);
    expect(await counted(METRICS.turns, { [ATTRS.turnKind]: 'card', [ATTRS.outcome]: '500' })).toBe(1);
    const durations = points.getMetrics().at(-1)!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === METRICS.turnDuration)!;
    const commands = durations.dataPoints.find((p) => p.attributes[ATTRS.turnKind] === 'command')!.value as { count: number; sum: number };
    expect([commands.count, commands.sum]).toEqual([2, 10]);
  });

  test('a turn is named by its command or card verb, never by what was typed', () => {
    const conversation = { id: 'c', conversationType: 'channel' };
    expect(turnNameOf({ type: 'message', text: '<at>Data Integration</at> run Secret Project X', conversation })).toEqual({ kind: 'command', name: 'run' });
    expect(turnNameOf({ type: 'message', text: 'my password is hunter2', conversation })).toEqual({ kind: 'command', name: 'unknown' });
    expect(turnNameOf({ type: 'message', value: { verb: 'setup', name: 'Typed name' }, conversation })).toEqual({ kind: 'card', name: 'setup' });
    expect(turnNameOf({ type: 'message', value: { verb: 'made-up verb with text' }, conversation })).toEqual({ kind: 'card', name: 'other' });
    expect(turnNameOf({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 'scheduleApprove' } }, conversation })).toEqual({ kind: 'invoke', name: 'scheduleApprove' });
    expect(turnNameOf({ type: 'installationUpdate', conversation })).toEqual({ kind: 'install', name: 'installationUpdate' });
  });

  test('values a caller chooses reach no attribute unless they are known: an invoke name, an activity type, a conversation type', () => {
    const conversation = { id: 'c', conversationType: 'channel' };
    expect(turnNameOf({ type: 'invoke', name: 'signin/verifyState', conversation })).toEqual({ kind: 'invoke', name: 'signin/verifyState' });
    expect(turnNameOf({ type: 'invoke', name: `made/up-${'x'.repeat(50)}`, conversation })).toEqual({ kind: 'invoke', name: 'other' });
    expect(turnNameOf({ type: 'messageReaction', conversation })).toEqual({ kind: 'other', name: 'messageReaction' });
    expect(turnNameOf({ type: 'attacker-chosen-type-1234', conversation })).toEqual({ kind: 'other', name: 'other' });
    expect(turnNameOf({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 'made-up' } }, conversation })).toEqual({ kind: 'invoke', name: 'other' });
  });
});
