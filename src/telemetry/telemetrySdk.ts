import os from 'node:os';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import type * as MetricsOtlpHttp from '@opentelemetry/exporter-metrics-otlp-http';
import type * as MetricsOtlpProto from '@opentelemetry/exporter-metrics-otlp-proto';
import type * as TraceOtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as TraceOtlpProto from '@opentelemetry/exporter-trace-otlp-proto';
import { azureVmDetector } from '@opentelemetry/resource-detector-azure';
import { envDetector, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Telemetry, TelemetrySettings } from './startTelemetry';

/** service.name, service.version and service.instance.id (App Service's instance id where there is one). */
function resourceOf(settings: TelemetrySettings, version: string): Resource {
  return resourceFromAttributes({
    'service.name': settings.OTEL_SERVICE_NAME,
    'service.version': version,
    'service.instance.id': process.env.WEBSITE_INSTANCE_ID ?? `${os.hostname()}-${process.pid}`,
  });
}

/**
 * The OTLP exporters of the protocol asked for, required only on the OTLP path: with protobuf.js they are a fifth of
 * this module's code, which the Application Insights path (the one deployed) would otherwise run at every start.
 */
function otlpExporters(json: boolean) {
  if (json) {
    const traces = require('@opentelemetry/exporter-trace-otlp-http') as typeof TraceOtlpHttp;
    const metrics = require('@opentelemetry/exporter-metrics-otlp-http') as typeof MetricsOtlpHttp;
    return { traceExporter: new traces.OTLPTraceExporter(), metricExporter: new metrics.OTLPMetricExporter() };
  }
  const traces = require('@opentelemetry/exporter-trace-otlp-proto') as typeof TraceOtlpProto;
  const metrics = require('@opentelemetry/exporter-metrics-otlp-proto') as typeof MetricsOtlpProto;
  return { traceExporter: new traces.OTLPTraceExporter(), metricExporter: new metrics.OTLPMetricExporter() };
}

/**
 * The one place the OpenTelemetry SDK, exporters and resource are set up: Application Insights when its
 * connection string is set, else OTLP (startTelemetry loads this module only when one of the two is).
 * The release ships it as a bundle of its own, so that a bot without telemetry never reads the SDKs.
 */
export function startSdk(settings: TelemetrySettings, version: string): Telemetry {
  const resource = resourceOf(settings, version);
  if (settings.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    if (process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED === 'true') {
      // The exporter splits its own usage reports over three switches; the documented one only stops the "non-essential" part.
      process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
      process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
    }
    // The distro asks the Azure VM metadata service (169.254.169.254) about the host at every start, with no
    // switch to stop it. The bot runs on App Service, where that service describes no host of ours, and a
    // machine that is not an Azure VM should not send anything but telemetry: the probe answers empty here.
    azureVmDetector.detect = () => ({ attributes: {} });
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: settings.APPLICATIONINSIGHTS_CONNECTION_STRING },
      resource,
      enableLiveMetrics: settings.APPLICATIONINSIGHTS_LIVE_METRICS,
      // Our own spans cover turns, service calls and storage; the auto-instrumentations would only add noise and cost.
      instrumentationOptions: {
        http: { enabled: false }, azureSdk: { enabled: false }, mongoDb: { enabled: false }, mySql: { enabled: false },
        postgreSql: { enabled: false }, redis: { enabled: false }, redis4: { enabled: false }, bunyan: { enabled: false }, winston: { enabled: false },
      },
    });
    return { exporter: 'azure-monitor', shutdown: () => shutdownAzureMonitor() };
  }
  const { traceExporter, metricExporter } = otlpExporters(settings.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json');
  const sdk = new NodeSDK({
    resource,
    resourceDetectors: [envDetector],
    autoDetectResources: true,
    instrumentations: [],
    traceExporter,
    metricReaders: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: settings.OTEL_METRIC_EXPORT_INTERVAL })],
  });
  sdk.start();
  return { exporter: 'otlp', shutdown: () => sdk.shutdown() };
}
