import { CloudAdapter, ConversationState, PrivateConversationState, TurnContext, UserState } from 'botbuilder';
import { Server } from 'restify';
import { ApprovalService } from './scheduleApprovals/approvalService';
import { Config, ConfigError } from './config';
import { registerAlerts } from './features/alerts/registerAlerts';
import { Approvals, registerApprovals } from './features/approvals/registerApprovals';
import type { DataIntegrationSource, IntegrationForPerson } from './features/integrationSource';
import { registerProjectCommands } from './features/projects/registerProjectCommands';
import { RunStarter } from './features/runs/runStarter';
import { ProjectWatches } from './features/runs/projectWatches';
import { registerSetup } from './features/setup/registerSetup';
import { registerSignIn } from './features/setup/registerSignIn';
import { setupServices } from './features/setup/setupServices';
import { SetupDialog } from './features/setup/setupDialog';
import { setupStateSchema } from './features/setup/setupState';
import { FinishedSetups } from './features/setup/finishedSetups';
import { SignInDialog } from './features/setup/signInDialog';
import { activityGuardFor } from './http/requestGuards';
import { createServer, InFlight } from './http/server';
import { DataIntegrationClients, type DataIntegrationBaseUrls, loadRouteOverrides, RouteOverrideError, routesFileToRead, serviceBaseUrls } from './integration';
import { Logger } from './logger';
import type { ConversationReferenceStore } from './notifications/conversationReferenceStore';
import type { ConversationTransport } from './notifications/outbound';
import { ProactiveSender, RetryOptions } from './notifications/proactiveSender';
import { RunStartGate } from './features/runs/runStartGate';
import { RunWatcher } from './notifications/runWatcher';
import { DataflowWatchStore } from './notifications/dataflowWatchStore';
import { dataflowPresenter } from './render/dataflowCards';
import { WatchStore } from './notifications/watchStore';
import { dataflowStatus, registerDataflows } from './features/dataflows/registerDataflows';
import { Mounted, ProcessLife } from './processLife';
import { alertPresenter } from './render/runCards';
import type { FlowLocks } from './locks/flowLocks';
import { StoreHousekeeping } from './storage/storeHousekeeping';
import { openStateStores } from './storage/openStateStores';
import type { StateStores } from './storage/stateStores';
import { guardPersonTurns } from './locks/guardPersonTurns';
import { readinessOf } from './storage/readiness';
import { readableState } from './storage/readableState';
import { createAdapter } from './teams/adapter';
import { BackgroundWork } from './features/backgroundWork';
import { botConnectorTransport } from './teams/botConnectorTransport';
import { conversationReferenceMiddleware, SavedReferences } from './teams/conversationReferences';
import { DataIntegrationBot } from './teams/dataIntegrationBot';
import { INVOKE_ANSWER_MS } from './teams/cardActions';
import { proactivePersonToken, turnPersonToken } from './teams/personTokens';
import { ssoTokenExchange } from './teams/ssoTokenExchange';
import { turnLoggerMiddleware } from './teams/turnLogger';
import { reviveWatchesMiddleware, teamWatchesMiddleware } from './teams/reviveWatches';

/** What tests and tools look at in a running bot: the run watcher and its bookkeeping. */
export interface AlertsRuntime {
  watcher: RunWatcher;
  watches: WatchStore;
  watchProject: ProjectWatches['given'];
  /** Resolves once the work started after answering clicks (card updates, schedules) has finished. */
  idle(): Promise<void>;
}

/** A running bot: its address and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  alerts: AlertsRuntime;
  close(): Promise<void>;
}

/** Knobs that are not configuration: what the local entry plugs in, and tests' clocks. */
export interface AppOptions {
  /** Service hosts to use where the configuration names none (the local entry passes the sandbox's). */
  baseUrls?: Partial<DataIntegrationBaseUrls>;
  /** Mounts extra routes on the server before it listens (the local entry mounts the playground). */
  mount?: (server: Server) => Mounted;
  /** Real milliseconds per schedule minute of the service (a sped-up sandbox clock in tests). */
  minuteMs?: number;
  /** Clocks, retry delays and the transport of approvals and alerts; `invokeAnswerMs`: the bound on a card action's answer (INVOKE_ANSWER_MS). */
  alerts?: { minuteMs?: number; pollMs?: number; adminUrl?: string; retry?: RetryOptions; now?: () => Date; expirySweepMs?: number; transport?: ConversationTransport; invokeAnswerMs?: number };
  /** Wraps the opened stores: tests hold one write between its read and its write, as a slow store or another instance would. */
  aroundStores?: (stores: StateStores) => StateStores;
}

/** The one composition root: config -> storage -> clients -> domain -> features -> server -> process life. It only wires. */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const tuning = options.alerts ?? {};
  const now = tuning.now; // undefined: each part reads the real clock itself (no root closure on the watcher's path)
  const appId = config.MicrosoftAppId ?? '';
  const wire = routeTableOf(config, logger);

  const opened = await openStateStores(config, logger);
  const stores = options.aroundStores?.(opened) ?? opened;
  // Bot state is read through one rule on either backend: a value that no longer reads back is set aside, and the turn says so.
  const storage = readableState(stores.storage, logger.child({ component: 'state' }), { schema: setupStateSchema });
  const refs = new SavedReferences(stores.refs);
  const watchLog = logger.child({ component: 'watches' });
  const watches = new WatchStore(stores.watches, now, watchLog);
  const dataflowWatches = new DataflowWatchStore(stores.dataflowWatches, now, watchLog);
  const states = [new ConversationState(storage), new UserState(storage), new PrivateConversationState(storage)] as const;

  const adapter = createAdapter(config, logger);
  // Around every turn, in this order: its logger, the conversation's reference saved, its watches revived (and its team's channels', when the bot left or joined a team), Teams SSO.
  adapter.use(turnLoggerMiddleware(logger));
  adapter.use(conversationReferenceMiddleware(refs));
  adapter.use(reviveWatchesMiddleware(watches, dataflowWatches));
  adapter.use(teamWatchesMiddleware(refs, watches, dataflowWatches));
  if (config.mode === 'teams') adapter.use(ssoTokenExchange(stores.flowLocks, config.OAUTH_CONNECTION_NAME));
  const ofTurn = turnPersonToken(adapter, config.OAUTH_CONNECTION_NAME);
  const clients = new DataIntegrationClients<TurnContext>(
    config, { baseUrls: serviceBaseUrls(config, options.baseUrls), routes: wire.routes }, logger, { ofTurn, ofOwner: proactivePersonToken(adapter, appId, refs, ofTurn) },
  );
  const { forTurn: source, forOwner: integrationFor } = clients;

  const log = logger.child({ component: 'approvals-and-alerts' });
  const background = new BackgroundWork(log);
  const sender = new ProactiveSender({
    refs, transport: tuning.transport ?? botConnectorTransport(adapter, appId), logger: log, retry: tuning.retry,
    onGone: async (conversationId, teamId) => { await watches.markConversationGone(conversationId, teamId); await dataflowWatches.markConversationGone(conversationId, teamId); },
  });
  const approvalService = new ApprovalService({
    store: stores.approvals, now, ttlHours: config.APPROVAL_TTL_HOURS,
    policy: { approvers: config.SCHEDULE_APPROVERS, allowSelfApproval: config.ALLOW_SELF_APPROVAL },
  });
  const watcher = new RunWatcher(
    { watches, sender, now, logger: log, present: alertPresenter(tuning.adminUrl), leader: stores.leadership, integrationFor,
      dataflows: { store: dataflowWatches, present: dataflowPresenter, reads: clients.forBot() } },
    { pollMs: tuning.pollMs ?? config.RUN_POLL_SECONDS * 1000, minuteMs: tuning.minuteMs ?? options.minuteMs, sweepEveryPolls: config.RUN_SWEEP_EVERY_POLLS, sweepMaxPerPoll: config.RUN_SWEEP_MAX_PER_POLL },
  );

  const { bot, approvals } = botWithFeatures({
    adapter, refs, watches, dataflowWatches, watcher, approvalService, sender, source, integrationFor, background, privateState: states[2], userState: states[1], logger: log,
    oauthConnection: config.mode === 'teams' ? config.OAUTH_CONNECTION_NAME : undefined, adminUrl: tuning.adminUrl, expirySweepMs: tuning.expirySweepMs ?? 60_000, invokeAnswerMs: tuning.invokeAnswerMs,
    runClaims: stores.flowLocks,
  });

  const inFlight = new InFlight();
  // The stores' housekeeping belongs to the process, not to a feature: every instance prunes, whatever it leads.
  const housekeeping = new StoreHousekeeping(stores, logger.child({ component: 'housekeeping' }));
  const life = new ProcessLife({ leadership: stores.leadership, watcher, reminders: approvals, housekeeping, background, inFlight, stores, logger });
  const server = createServer(
    {
      adapter,
      logger,
      requireAuth: config.mode === 'teams',
      activityGuard: activityGuardFor(config),
      health: () => ({ status: life.status, version: config.version, mode: config.mode, ...(wire.overridden.length ? { routesOverridden: wire.overridden } : {}) }),
      ready: readinessOf(stores, () => life.status, config.STATE_TIMEOUT_MS),
      logic: guardPersonTurns(stores.flowLocks, logger, async (context) => {
        await bot.run(context);
        // A state the turn never read has nothing to save (saveChanges would do nothing but cost an await).
        for (const state of states) if (state.get(context) !== undefined) await state.saveChanges(context);
      }, (context) => bot.needsNoPersonLock(context)),
    },
    inFlight,
  );
  // Local mode takes unauthenticated activities: only this machine may send them.
  const host = config.mode === 'local' ? '127.0.0.1' : '0.0.0.0';
  const port = await life.start({ server, mounted: options.mount?.(server), port: config.PORT, host });
  const url = `http://${config.mode === 'local' ? 'localhost' : host}:${port}`;
  logger.info({ url, mode: config.mode, dataDir: config.DATA_DIR }, 'bot listening');

  return {
    url,
    port,
    alerts: { watcher, watches, watchProject: (input) => new ProjectWatches(watches).given(input), idle: () => background.idle() },
    close: () => life.close(),
  };
}

/** What the features are built from: the stores, clients and domain services already built (the in-process test bot builds its own). */
export interface BotParts {
  adapter: CloudAdapter;
  refs: ConversationReferenceStore;
  watches: WatchStore;
  dataflowWatches: DataflowWatchStore;
  watcher: RunWatcher;
  approvalService: ApprovalService;
  sender: ProactiveSender;
  source: DataIntegrationSource;
  integrationFor: IntegrationForPerson;
  background: BackgroundWork;
  privateState: PrivateConversationState;
  /** Where a person's open setup is remembered across conversations (to mention it elsewhere). */
  userState: UserState;
  logger: Logger;
  /** Teams mode: the bot's OAuth connection; local mode needs no sign-in. */
  oauthConnection?: string;
  adminUrl?: string;
  expirySweepMs: number;
  /** How long a card action may run before its click is answered and its reply follows as a message (INVOKE_ANSWER_MS). */
  invokeAnswerMs?: number;
  /** Where a run being started is claimed, so that one project starts one run at a time across instances. */
  runClaims: FlowLocks;
}

/** The bot with every feature registered on it, each given only what it uses: approvals, alerts, setup, sign-in, projects. */
export function botWithFeatures(p: BotParts): { bot: DataIntegrationBot; approvals: Approvals } {
  // A card action not finished in time is answered at once; its reply follows through the proactive sender, as background work.
  const late = { withinMs: p.invokeAnswerMs ?? INVOKE_ANSWER_MS, sender: p.sender, background: p.background, logger: p.logger };
  const bot = new DataIntegrationBot(p.refs, late);
  const projectWatches = new ProjectWatches(p.watches);
  const onScheduleChanged = (name: string) => p.watcher.scheduleChanged(name);
  const approvals = registerApprovals(bot, {
    approvals: p.approvalService, refs: p.refs, sender: p.sender, source: p.source, integrationFor: p.integrationFor,
    background: p.background, logger: p.logger, expirySweepMs: p.expirySweepMs, onScheduleChanged, watches: projectWatches, onePerson: !p.oauthConnection,
  });
  const runs = new RunStarter(p.watches, p.watcher, new RunStartGate(), p.runClaims, p.logger);
  const recordChoice = p.approvalService.recordChoice.bind(p.approvalService);
  registerAlerts(bot, { watches: p.watches, source: p.source, actions: { adminUrl: p.adminUrl, runs, onScheduleChanged, recordChoice, logger: p.logger, notes: p.approvalService } });

  // Setup and sign-in ("set up account sync"); registered after approvals and alerts, before the project commands.
  const services = setupServices(p.source, runs, { requestSchedule: approvals.requestSchedule, watches: projectWatches });
  const setup = registerSetup(bot, {
    state: p.privateState, userState: p.userState,
    setup: new SetupDialog(services, p.oauthConnection, p.background), signIn: p.oauthConnection ? new SignInDialog(p.oauthConnection) : undefined,
    finished: new FinishedSetups(p.privateState, services),
  });
  registerSignIn(bot, setup, p.adapter, p.oauthConnection);

  registerDataflows(bot, { store: p.dataflowWatches, source: p.source, sender: p.sender, background: p.background });
  registerProjectCommands(bot, p.source, runs, dataflowStatus(p.dataflowWatches), p.approvalService);
  return { bot, approvals };
}

/**
 * The routes file applied to the route table (INTEGRATOR_ROUTES_FILE, or the one the release ships); a bad file stops
 * the start like any bad setting. The start log names the file read.
 */
function routeTableOf(config: Config, logger: Logger): ReturnType<typeof loadRouteOverrides> {
  const file = routesFileToRead(config.INTEGRATOR_ROUTES_FILE);
  try {
    const wire = loadRouteOverrides(file);
    if (file) logger.info({ routesOverridden: wire.overridden, file }, wire.overridden.length ? 'Data Integrator routes overridden' : 'Data Integrator routes file read: it corrects no route');
    return wire;
  } catch (err) {
    if (!(err instanceof RouteOverrideError)) throw err;
    throw new ConfigError(`Invalid configuration:\n  ${config.INTEGRATOR_ROUTES_FILE ? 'INTEGRATOR_ROUTES_FILE' : 'the release\'s routes file'}: ${err.message}`);
  }
}
