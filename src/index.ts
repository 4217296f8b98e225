import './telemetry/register';
import { startApp } from './app';
import { ConfigError } from './config';
import { runMain } from './main';

/**
 * Production entry (`node dist/src/index.js`; the release runs it bundled): the bot alone, against the services its
 * configuration names. The embedded sandbox and the playground are dev-only (dev/local.ts).
 */
runMain(async (config, logger) => {
  if (config.START_SANDBOX) {
    throw new ConfigError([
      'Invalid configuration:',
      '  START_SANDBOX: the embedded sandbox is not part of the production build.',
      '  Run `npm start` for the local try-out, or set INTEGRATOR_BASE_URL, BAP_BASE_URL and POWERAPPS_BASE_URL',
      '  (for example to a sandbox started with `npm run sandbox`).',
    ].join('\n'));
  }
  return startApp(config, logger);
});
