import type { Config } from '../../src/config';
import type { Logger } from '../../src/logger';
import { AppOptions, RunningApp, startApp } from '../../src/app';
import { mountPlayground } from '../playground';
import { Sandbox, SandboxOptions, startSandbox } from '../sandbox';

/** The local try-out's knobs: how to seed the sandbox or speed up its clock, plus the app's own. */
export interface LocalAppOptions extends Pick<AppOptions, 'alerts' | 'aroundStores'> {
  sandbox?: Pick<SandboxOptions, 'seed' | 'minuteMs' | 'limits'>;
  /** The sandbox port is only the default (SANDBOX_PORT not set): when it is taken, e.g. by a second bot, use a free one. */
  anySandboxPortIfTaken?: boolean;
}

/** The bot with the embedded sandbox (unless START_SANDBOX=false) and the playground (local mode). */
export interface LocalApp extends RunningApp {
  sandbox?: Sandbox;
}

/** Starts the sandbox, then the product pointed at it with the playground mounted on its server. */
export async function startLocalApp(config: Config, logger: Logger, options: LocalAppOptions = {}): Promise<LocalApp> {
  const sandboxOn = (port: number) => startSandbox({
    port, dataDir: config.DATA_DIR, logger: logger.child({ component: 'sandbox' }), dataflowEverySeconds: config.SANDBOX_DATAFLOW_EVERY_SECONDS, ...options.sandbox,
  });
  const sandbox = config.START_SANDBOX
    ? await sandboxOn(config.SANDBOX_PORT).catch(async (err: unknown) => {
      if (!options.anySandboxPortIfTaken || !/EADDRINUSE/.test(String((err as Error).message))) throw err;
      logger.warn({ port: config.SANDBOX_PORT }, 'the default sandbox port is taken (another bot?): the sandbox uses a free port; set SANDBOX_PORT to choose one');
      return sandboxOn(0);
    })
    : undefined;
  let app: RunningApp;
  try {
    app = await startApp(config, logger, {
      alerts: options.alerts,
      aroundStores: options.aroundStores,
      baseUrls: sandbox?.baseUrls,
      minuteMs: options.sandbox?.minuteMs,
      // Local mode only: the browser playground at /playground and its Bot Connector at /_connector (Teams mode: 404).
      mount: (server) => mountPlayground(server, { config, logger }),
    });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
  return {
    ...app,
    sandbox,
    async close() {
      await app.close();
      await sandbox?.close();
    },
  };
}
