import 'dotenv/config';
import { Config, ConfigError, loadConfig } from './config';
import { createLogger, humanDestination, Logger } from './logger';
import { packageVersion } from './projectRoot';
import { sdkLogsInto } from './telemetry/sdkLogs';
import { telemetry } from './telemetry/register';

/** What an entry point starts: something with an address that can be stopped. */
export interface Started { url: string; close(): Promise<void> }

/**
 * The life of a bot process, shared by the production entry (src/index.ts) and the local one
 * (dev/local.ts): read config (exit 2 naming every bad key), start, stop cleanly on SIGINT/SIGTERM.
 */
export function runMain(start: (config: Config, logger: Logger) => Promise<Started>): void {
  let config: Config;
  try {
    config = loadConfig(process.env, packageVersion());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL, process.stdout.isTTY ? humanDestination(process.stdout) : undefined);
  const { exporter } = telemetry();
  // After telemetry started: the Application Insights distro points the SDKs' logs at the console on its start.
  sdkLogsInto(logger);
  logger.info({ exporter }, exporter === 'none' ? 'telemetry off (no APPLICATIONINSIGHTS_CONNECTION_STRING or OTEL_EXPORTER_OTLP_ENDPOINT)' : `telemetry exported to ${exporter === 'otlp' ? 'an OTLP collector' : 'Application Insights'}`);
  start(config, logger).then((app) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      // The last spans and metrics are flushed before the process goes.
      app.close().then(() => telemetry().shutdown().catch(() => undefined)).then(
        () => process.exit(0),
        (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  }, (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    // What went wrong and what to do, not a stack trace (the cause's message is enough to act on).
    console.error(`The bot could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
