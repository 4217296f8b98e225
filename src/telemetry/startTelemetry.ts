import { resetInstruments } from './meters';

/** The configuration keys telemetry reads (see src/config.ts); the OTLP exporters also read the standard OTEL_* keys. */
export interface TelemetrySettings {
  APPLICATIONINSIGHTS_CONNECTION_STRING?: string;
  APPLICATIONINSIGHTS_LIVE_METRICS: boolean;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' | 'http/protobuf';
  OTEL_SERVICE_NAME: string;
  OTEL_METRIC_EXPORT_INTERVAL: number;
}

/** Which exporter is on, and how to flush and stop it. */
export interface Telemetry {
  exporter: 'azure-monitor' | 'otlp' | 'none';
  shutdown(): Promise<void>;
}

/** Telemetry off: nothing exported, nothing to flush. */
export const NONE: Telemetry = { exporter: 'none', shutdown: async () => undefined };

/**
 * Starts telemetry; the entries load it before anything else. Application Insights when its connection string
 * is set, else OTLP when an endpoint is, else nothing at all: the code records through @opentelemetry/api,
 * which then stays a no-op.
 */
export function startTelemetry(settings: TelemetrySettings, version: string): Telemetry {
  if (!settings.APPLICATIONINSIGHTS_CONNECTION_STRING && !settings.OTEL_EXPORTER_OTLP_ENDPOINT) return NONE;
  // Required here, not imported: the SDKs are most of the bot's code, and a bot without telemetry never loads them
  // (the release builder keeps this path, so that the bundle loads its telemetry bundle here).
  const { startSdk } = require('./telemetrySdk') as typeof import('./telemetrySdk');
  const started = startSdk(settings, version);
  resetInstruments();
  return started;
}
