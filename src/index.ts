import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { packageVersion } from './projectRoot';
import { startApp } from './app';
import { PLAYGROUND_PATH } from './playground';

/** Entry point of `npm start`: read config, start, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, packageVersion());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, logger);
  if (config.mode === 'local') {
    console.log(`Data Integration bot running locally at ${app.url}/api/messages (health: ${app.url}/healthz)`);
    console.log(`Try it in a browser: ${app.url}${PLAYGROUND_PATH}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('The bot could not start:', err);
  process.exit(1);
});
