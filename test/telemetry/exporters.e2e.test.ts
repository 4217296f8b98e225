import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { message } from '../helpers/activities';
import { ensureBuilt } from '../helpers/build';
import { listeningUrl, NodeProcess, startNode } from '../helpers/processes';
import { clickActivity, isUpdateBeyondSetup, newestCard, walkToReview } from '../helpers/setupWalk';
import { startTelemetryReceiver, TelemetryReceiver } from '../helpers/telemetryReceiver';
import { until } from '../helpers/tryOut';
import { LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { ATTRS, METRICS, SPANS } from '../../src/telemetry/names';
import { Exported, fromAppInsights, fromOtlp } from './exportedTelemetry';

const SECRET = 'planted-secret-Zq81xT';
const TYPED = 'planted typed words 5521';
const PROJECT = 'Planted Project 9043';
const PERSON = 'Ada Admin';
/** A caller's tracestate: free text that would otherwise ride on every exported span. */
const TRACESTATE = 'vendor=planted-tracestate-4417';

/** The bot as `npm start` runs it (dev/local.js, embedded sandbox) with `env` added; a setup walked to a run whose card gets the result. */
async function walkSetupToRun(env: Record<string, string>): Promise<{ bot: NodeProcess; connector: LocalConnector; closeConnector(): Promise<void> }> {
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const bot = startNode('dev/local.js', {
    PORT: '0', SANDBOX_PORT: '0', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'di-otel-')), RUN_POLL_SECONDS: '1', LOG_LEVEL: 'info',
    MicrosoftAppPassword: SECRET, ...env,
  });
  const url = await listeningUrl(bot, 60_000);
  const post = async (activity: object) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST', body: JSON.stringify(activity),
      headers: { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: TRACESTATE },
    });
    expect(res.status).toBe(200);
  };
  await post(message(serviceUrl, TYPED));
  await walkToReview(serviceUrl, connector, (_step, a) => post(a), PROJECT);
  await post(clickActivity(serviceUrl, newestCard({ connector }), 'Create'));
  await post(clickActivity(serviceUrl, newestCard({ connector }), 'Run now'));
  await until('the run card shows the result', () => connector.messages().some(isUpdateBeyondSetup), 60_000);
  return { bot, connector, closeConnector };
}

/** Nothing a person typed, no name and no secret in anything exported. */
function expectNothingPlanted(received: unknown): void {
  const all = JSON.stringify(received);
  for (const planted of [SECRET, TYPED, PROJECT, PERSON, 'planted-tracestate-4417']) expect(all).not.toContain(planted);
}

const named = (items: Exported[], name: string) => items.filter((i) => i.name === name);

/** The spans and metrics both exporters must carry, for a setup walked to a run and its result delivered. */
function expectSetupAndAlert(spans: Exported[], points: Exported[]): void {
  const turns = named(spans, SPANS.turn);
  expect(turns.map((t) => t.attributes[ATTRS.turnName])).toEqual(expect.arrayContaining(['unknown', 'setup']));
  expect(turns.every((t) => t.attributes[ATTRS.conversationType] === 'channel')).toBe(true);
  expect(named(spans, SPANS.serviceCall).map((s) => s.attributes[ATTRS.route])).toEqual(expect.arrayContaining(['listEnvironments', 'listConnections', 'runProject']));
  expect(named(spans, SPANS.serviceCall).every((s) => Number(s.attributes[ATTRS.attempt]) >= 1)).toBe(true);
  expect(spans.some((s) => s.name.startsWith(`${SPANS.stateOperation}.botState.`) && s.attributes[ATTRS.backend] === 'sqlite')).toBe(true);
  expect(named(spans, SPANS.watcherPoll).length).toBeGreaterThan(0);
  const delivered = named(spans, SPANS.alertDelivery).filter((s) => s.attributes[ATTRS.alertKind] === 'runResult' && s.attributes[ATTRS.outcome] === 'sent');
  expect(delivered.length).toBeGreaterThan(0);
  expect(Number(delivered[0].attributes[ATTRS.alertLatencyMs])).toBeGreaterThanOrEqual(0);
  expect(named(spans, `${SPANS.connectorCall}.update`).map((s) => s.attributes[ATTRS.status])).toContain('ok');

  const metricNames = new Set(points.map((p) => p.name));
  for (const m of [METRICS.turns, METRICS.turnDuration, METRICS.serviceCalls, METRICS.serviceDuration, METRICS.pollDuration, METRICS.alerts, METRICS.alertLatency, METRICS.outboxDepth, METRICS.leaseHeld, METRICS.leaseChanges, METRICS.setups]) {
    expect([m, metricNames.has(m)]).toEqual([m, true]);
  }
  expect(named(points, METRICS.setups).map((p) => p.attributes[ATTRS.setupEvent])).toEqual(expect.arrayContaining(['started', 'finished']));
  expect(named(points, METRICS.serviceCalls).some((p) => p.attributes[ATTRS.route] === 'runProject' && p.attributes[ATTRS.status] === 'ok')).toBe(true);
}

describe('telemetry through the real exporters, to loopback endpoints', () => {
  let receiver: TelemetryReceiver;
  let run: Awaited<ReturnType<typeof walkSetupToRun>> | undefined;
  beforeAll(() => ensureBuilt());
  beforeEach(async () => { receiver = await startTelemetryReceiver({ tls: expect.getState().currentTestName?.includes('Application Insights') }); });
  afterEach(async () => {
    await run?.bot.kill('SIGKILL');
    await run?.closeConnector();
    run = undefined;
    await receiver.close();
  });

  test('OTLP/HTTP (JSON): the spans and metrics of a setup walked to a run and of its result', async () => {
    run = await walkSetupToRun({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_METRIC_EXPORT_INTERVAL: '500' });
    expect(run.bot.logs().find((l) => l.exporter)).toMatchObject({ exporter: 'otlp' });
    await run.bot.kill('SIGTERM'); // flushes what is left
    const { spans, points, resources } = fromOtlp(receiver.received);
    expectSetupAndAlert(spans, points);
    // The turn continued the caller's trace; log lines name the trace and span they were written in.
    expect(named(spans, SPANS.turn).length).toBeGreaterThan(0);
    expect(run.bot.logs().some((l) => l.trace_id === '0af7651916cd43dd8448eb211c80319c' && typeof l.span_id === 'string')).toBe(true);
    expect(run.bot.output()).not.toContain('OFF-LOOPBACK');
    expect(resources[0]).toMatchObject({ 'service.name': 'data-integration-bot', 'service.version': expect.any(String), 'service.instance.id': expect.any(String) });
    expectNothingPlanted(receiver.received);
  }, 180_000);

  test('Application Insights (the Azure Monitor distro): envelopes at the connection string\'s ingestion endpoint', async () => {
    run = await walkSetupToRun({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${receiver.url}/;LiveEndpoint=${receiver.url}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_LIVE_METRICS: 'false', OTEL_METRIC_EXPORT_INTERVAL: '500',
      NODE_EXTRA_CA_CERTS: receiver.caFile!,
      // Every trace, not the distro's default of 5 a second: the test looks for each span of the walk.
      OTEL_TRACES_SAMPLER: 'always_on',
    });
    expect(run.bot.logs().find((l) => l.exporter)).toMatchObject({ exporter: 'azure-monitor' });
    await run.bot.kill('SIGTERM');
    const { spans, points, tags } = fromAppInsights(receiver.received);
    expectSetupAndAlert(spans, points);
    expect(tags.some((t) => t['ai.cloud.role'] === 'data-integration-bot' && t['ai.cloud.roleInstance'])).toBe(true);
    expect(receiver.received.every((r) => r.path.startsWith('/v2'))).toBe(true); // nothing but ingestion: no live metrics, no statsbeat
    expect(run.bot.output()).not.toContain('OFF-LOOPBACK'); // nor the distro's VM metadata probe, nor any other call off loopback
    expectNothingPlanted(receiver.received);
  }, 180_000);
});
