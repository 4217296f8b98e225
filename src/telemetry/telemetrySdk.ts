import os from 'node:os';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
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
  const json = settings.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json';
  const sdk = new NodeSDK({
    resource,
    resourceDetectors: [envDetector],
    autoDetectResources: true,
    instrumentations: [],
    traceExporter: json ? new JsonTraceExporter() : new ProtoTraceExporter(),
    metricReaders: [new PeriodicExportingMetricReader({
      exporter: json ? new JsonMetricExporter() : new ProtoMetricExporter(),
      exportIntervalMillis: settings.OTEL_METRIC_EXPORT_INTERVAL,
    })],
  });
  sdk.start();
  return { exporter: 'otlp', shutdown: () => sdk.shutdown() };
}
