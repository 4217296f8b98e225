import { format } from 'node:util';
import { AzureLogger } from '@azure/logger';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Logger } from '../logger';

/** The longest SDK message kept: enough to act on, never a body. */
const MAX_CHARS = 2_000;

const text = (args: unknown[]) => format(...args).slice(0, MAX_CHARS);

/**
 * What the SDKs log themselves, as JSON lines of the bot's logger instead of raw text on the console, where the
 * Application Insights distro points both at its start:
 * - the Azure SDKs' log, which it turns on at warnings: in a bot that is several lines a turn, about the SDKs' use
 *   rather than the bot's health (botframework builds connector clients with the deprecated `baseUri`, and a
 *   `DefaultAzureCredential` whose chain reports the credentials it skips). Its warnings go at debug, its errors at
 *   warn; what fails the bot is logged where it fails;
 * - OpenTelemetry's diagnostics (an export that failed, say), at warn, warnings and errors only.
 */
export function sdkLogsInto(logger: Logger): void {
  AzureLogger.log = (...args: unknown[]) => {
    const line = text(args);
    if (/^azure:\S*:error\b/.test(line)) logger.warn({ component: 'azure-sdk' }, line);
    else logger.debug({ component: 'azure-sdk' }, line);
  };
  const otel = (...args: unknown[]) => logger.warn({ component: 'opentelemetry' }, text(args));
  const quiet = (...args: unknown[]) => logger.debug({ component: 'opentelemetry' }, text(args));
  diag.setLogger({ error: otel, warn: otel, info: quiet, debug: quiet, verbose: quiet }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}
