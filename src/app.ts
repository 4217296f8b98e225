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
import type { DataIntegrationBaseUrls } from './integration';
import { ApprovalsAndAlerts, ApprovalsAndAlertsDeps, createApprovalsAndAlerts } from './bot/approvalsAndAlerts';
import { projectWatchHandOver } from './bot/setupHandOver';

/** A running bot: its address and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  /** Schedule approvals and run alerts (tests wait on its background work). */
  approvalsAndAlerts: ApprovalsAndAlerts;
  close(): Promise<void>;
}

/** Something mounted on the bot's server by the local entry (the playground); closed before the server. */
export interface Mounted { close(): void }

/** Knobs that are not configuration: what the local entry plugs in, and tests' clocks. */
export interface AppOptions {
  /** Service hosts to use where the configuration names none (the local entry passes the sandbox's). */
  baseUrls?: Partial<DataIntegrationBaseUrls>;
  /** Mounts extra routes on the server before it listens (the local entry mounts the playground). */
  mount?: (server: Server) => Mounted;
  /** Real milliseconds per schedule minute of the service (a sped-up sandbox clock in tests). */
  minuteMs?: number;
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

  const adapter = createAdapter(config, logger);
  adapter.use(turnLoggerMiddleware(logger));
  adapter.use(conversationReferenceMiddleware(refs));
  const bot = new DataIntegrationBot(refs);
  const source = dataIntegrationSource(config, serviceBaseUrls(config, options.baseUrls), logger, adapter);
  const appId = config.MicrosoftAppId ?? '';
  const features = createApprovalsAndAlerts({
    db, refs, adapter, appId, source, logger,
    settings: {
      approvers: config.SCHEDULE_APPROVERS, allowSelfApproval: config.ALLOW_SELF_APPROVAL,
      approvalTtlHours: config.APPROVAL_TTL_HOURS, pollSeconds: config.RUN_POLL_SECONDS,
    },
    tuning: { minuteMs: options.minuteMs, ...options.alerts },
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
  const mounted = options.mount?.(server);
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
    approvalsAndAlerts: features,
    async close() {
      status = 'stopping';
      mounted?.close(); // e.g. the playground's open event streams would keep server.close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(10_000);
      runs.stop();
      await features.close();
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
