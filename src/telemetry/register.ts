import 'dotenv/config';
import { configSchema, withoutBlanks } from '../config';
import { packageVersion } from '../projectRoot';
import { NONE, startTelemetry, type Telemetry } from './startTelemetry';

const keys = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: true, APPLICATIONINSIGHTS_LIVE_METRICS: true, OTEL_EXPORTER_OTLP_ENDPOINT: true,
  OTEL_EXPORTER_OTLP_PROTOCOL: true, OTEL_SERVICE_NAME: true, OTEL_METRIC_EXPORT_INTERVAL: true,
} as const;

// Started on import, before the entry loads anything else. A bad key leaves telemetry off: runMain then names it and exits.
const parsed = configSchema.pick(keys).safeParse(withoutBlanks(process.env));
const started: Telemetry = parsed.success ? startTelemetry(parsed.data, packageVersion()) : NONE;

/** The telemetry this process started (imported first by src/index.ts and dev/local.ts). */
export function telemetry(): Telemetry {
  return started;
}
