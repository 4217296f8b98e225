import type { Received } from '../helpers/telemetryReceiver';

/** A span or metric point as exported, whichever exporter sent it: its name and its attributes. */
export interface Exported { name: string; attributes: Record<string, unknown> }

type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type OtlpAttrs = Array<{ key: string; value: OtlpValue }> | undefined;

const flat = (attrs: OtlpAttrs): Record<string, unknown> =>
  Object.fromEntries((attrs ?? []).map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue === undefined ? undefined : Number(value.intValue))]));

/** What an OTLP/JSON collector got: spans, metric points and the resources they came with. */
export function fromOtlp(received: Received[]): { spans: Exported[]; points: Exported[]; resources: Array<Record<string, unknown>> } {
  const spans: Exported[] = [];
  const points: Exported[] = [];
  const resources: Array<Record<string, unknown>> = [];
  for (const { path, body } of received) {
    const b = body as { resourceSpans?: any[]; resourceMetrics?: any[] };
    if (path === '/v1/traces') for (const rs of b.resourceSpans ?? []) {
      resources.push(flat(rs.resource?.attributes));
      for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ name: s.name, attributes: flat(s.attributes) });
    }
    if (path === '/v1/metrics') for (const rm of b.resourceMetrics ?? []) {
      resources.push(flat(rm.resource?.attributes));
      for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) {
        const data = m.sum ?? m.histogram ?? m.gauge ?? {};
        for (const p of data.dataPoints ?? []) points.push({ name: m.name, attributes: flat(p.attributes) });
      }
    }
  }
  return { spans, points, resources };
}

interface Envelope { name: string; tags?: Record<string, string>; data?: { baseType?: string; baseData?: { name?: string; properties?: Record<string, unknown>; metrics?: Array<{ name: string }> } } }

/** What Application Insights' ingestion endpoint got: requests and dependencies (spans), metrics, and the envelopes' tags. */
export function fromAppInsights(received: Received[]): { spans: Exported[]; points: Exported[]; tags: Array<Record<string, string>> } {
  const envelopes = received.filter((r) => r.path.includes('/track')).flatMap((r) => (Array.isArray(r.body) ? r.body : []) as Envelope[]);
  const spans = envelopes.filter((e) => e.data?.baseType === 'RequestData' || e.data?.baseType === 'RemoteDependencyData')
    .map((e) => ({ name: e.data!.baseData!.name ?? '', attributes: e.data!.baseData!.properties ?? {} }));
  const points = envelopes.filter((e) => e.data?.baseType === 'MetricData')
    .flatMap((e) => (e.data!.baseData!.metrics ?? []).map((m) => ({ name: m.name, attributes: e.data!.baseData!.properties ?? {} })));
  return { spans, points, tags: envelopes.map((e) => e.tags ?? {}) };
}
