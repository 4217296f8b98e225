import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startSandbox } from './index';

/** Runs the sandbox alone (`npm run sandbox`) until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const sandbox = await startSandbox({ port: config.SANDBOX_PORT, dataDir: config.DATA_DIR, logger, minuteMs: config.SANDBOX_MINUTE_MS, dataflowEverySeconds: config.SANDBOX_DATAFLOW_EVERY_SECONDS });
  process.stdout.write(
    [
      'Data Integration sandbox is running. Point the bot at:',
      `  BAP_BASE_URL=${sandbox.baseUrls.bap}`,
      `  POWERAPPS_BASE_URL=${sandbox.baseUrls.powerapps}`,
      `  INTEGRATOR_BASE_URL=${sandbox.baseUrls.integrator}`,
      `State: ${config.DATA_DIR}/sandbox.sqlite. Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );
  const stop = (signal: string) => {
    logger.info({ signal }, 'sandbox stopping');
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'sandbox did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
