import { ConversationState, PrivateConversationState, UserState } from 'botbuilder';
import { Server } from 'restify';
import { Config } from './config';
import { Logger } from './logger';
import { createAdapter } from './bot/adapter';
import { conversationReferenceMiddleware } from './bot/conversationReferences';
import { DataIntegrationBot } from './bot/teamsBot';
import { turnLoggerMiddleware } from './bot/turnLogger';
import { SqliteConversationReferenceStore } from './notifications/conversationReferenceStore';
import { openBotDatabase } from './storage/database';
import { SqliteStorage } from './storage/sqliteStorage';
import { createServer, InFlight } from './server';
import { dataIntegrationSource, serviceBaseUrls } from './bot/dataIntegrationSource';
import { RunReporter } from './bot/runReporter';
import { registerSetup } from './bot/setupHandlers';
import { SetupRunner } from './bot/setupRunner';
import { setupServices } from './bot/setupServices';
import { registerProjectCommands } from './bot/projectCommands';
import { GuidedSetupDialog } from './dialogs/guidedSetupDialog';
import { SignInDialog } from './dialogs/signInDialog';
import { registerSignIn } from './bot/signInCommands';
import { Sandbox, SandboxOptions, startSandbox } from './sandbox';
import { mountPlayground } from './playground';
import { ApprovalsAndAlerts, ApprovalsAndAlertsDeps, createApprovalsAndAlerts } from './bot/approvalsAndAlerts';
import { projectWatchHandOver } from './bot/setupHandOver';
import { activityGuardFor } from './http/requestGuards';

/** A running bot: its address and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  /** The embedded Data Integration sandbox, when this process runs one. */
  sandbox?: Sandbox;
  /** Schedule approvals and run alerts (tests wait on its background work). */
  approvalsAndAlerts: ApprovalsAndAlerts;
  close(): Promise<void>;
}

/** Knobs that are not configuration: tests seed the sandbox differently or speed up its clock. */
export interface AppOptions {
  sandbox?: Pick<SandboxOptions, 'seed' | 'minuteMs' | 'limits'>;
  /** Clocks and retry delays of approvals and alerts. */
  alerts?: ApprovalsAndAlertsDeps['tuning'];
}

/** Wires config -> storage -> clients -> bot -> server and starts listening. No logic lives here. */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  let status: 'starting' | 'ok' | 'stopping' = 'starting';
  const db = openBotDatabase(config.DATA_DIR);
  const storage = new SqliteStorage(db);
  const refs = new SqliteConversationReferenceStore(db);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const privateState = new PrivateConversationState(storage);
  const sandbox = config.START_SANDBOX
    ? await startSandbox({ port: config.SANDBOX_PORT, dataDir: config.DATA_DIR, logger: logger.child({ component: 'sandbox' }), ...options.sandbox })
    : undefined;

  const adapter = createAdapter(config, logger);
  adapter.use(turnLoggerMiddleware(logger));
  adapter.use(conversationReferenceMiddleware(refs));
  const bot = new DataIntegrationBot(refs);
  const source = dataIntegrationSource(config, serviceBaseUrls(config, sandbox?.baseUrls), logger, adapter);
  const appId = config.MicrosoftAppId ?? '';
  const features = createApprovalsAndAlerts({
    db, refs, adapter, appId, source, logger,
    settings: {
      approvers: config.SCHEDULE_APPROVERS, allowSelfApproval: config.ALLOW_SELF_APPROVAL,
      approvalTtlHours: config.APPROVAL_TTL_HOURS, pollSeconds: config.RUN_POLL_SECONDS,
    },
    tuning: { minuteMs: options.sandbox?.minuteMs, ...options.alerts },
  });
  adapter.use(features.middleware);
  bot
    .onTextCommand('schedule', features.commands.schedule)
    .onTextCommand('history', features.commands.history)
    .onTextCommand('notify', features.commands.notify);
  for (const [verb, handler] of Object.entries(features.submits)) bot.onCardVerb(verb, handler);
  for (const [verb, handler] of Object.entries(features.invokes)) bot.onCardAction(verb, handler);
  const runs = new RunReporter(adapter, appId, logger, undefined, (key, executionId) => features.watches.markReported(key, [executionId]));
  const oauthConnection = config.mode === 'teams' ? config.OAUTH_CONNECTION_NAME : undefined;
  const services = setupServices(source, runs, projectWatchHandOver(features));
  const runner = new SetupRunner(privateState, new GuidedSetupDialog(services, oauthConnection), oauthConnection ? new SignInDialog(oauthConnection) : undefined);
  registerSetup(bot, runner);
  registerSignIn(bot, runner, adapter, oauthConnection);
  registerProjectCommands(bot, source);

  const inFlight = new InFlight();
  const server = createServer(
    {
      adapter,
      logger,
      requireAuth: config.mode === 'teams',
      activityGuard: activityGuardFor(config),
      health: () => ({ status, version: config.version, mode: config.mode }),
      logic: async (context) => {
        await bot.run(context);
        await conversationState.saveChanges(context);
        await userState.saveChanges(context);
        await privateState.saveChanges(context);
      },
    },
    inFlight,
  );
  // Local mode only: the browser playground at /playground and its Bot Connector at /_connector (Teams mode: 404).
  const playground = mountPlayground(server, { config, logger });
  // Local mode takes unauthenticated activities: only this machine may send them.
  const host = config.mode === 'local' ? '127.0.0.1' : '0.0.0.0';
  const port = await listen(server, config.PORT, host);
  features.start();
  status = 'ok';
  const url = `http://${config.mode === 'local' ? 'localhost' : host}:${port}`;
  logger.info({ url, mode: config.mode, dataDir: config.DATA_DIR }, 'bot listening');

  return {
    url,
    port,
    sandbox,
    approvalsAndAlerts: features,
    async close() {
      status = 'stopping';
      playground.close(); // its open event streams would keep server.close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(10_000);
      runs.stop();
      await features.close();
      await sandbox?.close();
      db.close();
      logger.info('bot stopped');
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
