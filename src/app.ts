import { ConversationState, PrivateConversationState, UserState } from 'botbuilder';
import { Server } from 'restify';
import { ApprovalService } from './approvals/approvalService';
import { Config, ConfigError } from './config';
import { integrationSources } from './features/integrationSource';
import { registerFeatures } from './features/registerFeatures';
import { activityGuardFor } from './http/requestGuards';
import { createServer, InFlight } from './http/server';
import { DataIntegrationClients, type DataIntegrationBaseUrls, loadRouteOverrides, RouteOverrideError, serviceBaseUrls } from './integration';
import { Logger } from './logger';
import type { ConversationTransport } from './notifications/outbound';
import { ProactiveSender, RetryOptions } from './notifications/proactiveSender';
import { RunWatcher } from './notifications/runWatcher';
import { WatchStore } from './notifications/watchStore';
import { alertPresenter } from './render/runCards';
import { openStateStores } from './storage/openStateStores';
import { guardPersonTurns } from './storage/guardPersonTurns';
import { readinessOf } from './storage/readiness';
import { createAdapter } from './teams/adapter';
import { BackgroundWork } from './teams/backgroundWork';
import { botConnectorTransport } from './teams/botConnectorTransport';
import { conversationReferenceMiddleware, SavedReferences } from './teams/conversationReferences';
import { proactivePersonToken, turnPersonToken } from './teams/personTokens';
import { ssoTokenExchange } from './teams/ssoTokenExchange';
import { observeLease, recordLeaseChange } from './telemetry/recorders';
import { turnLoggerMiddleware } from './teams/turnLogger';

/** What tests and tools look at in a running bot: the run watcher and its bookkeeping. */
export interface AlertsRuntime {
  watcher: RunWatcher;
  watches: WatchStore;
  watchProject: WatchStore['watch'];
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
  /** Clocks, retry delays and the transport of approvals and alerts. */
  alerts?: { minuteMs?: number; pollMs?: number; adminUrl?: string; retry?: RetryOptions; now?: () => Date; expirySweepMs?: number; transport?: ConversationTransport };
}

/** The one composition root: config -> storage -> clients -> features -> server. It only wires. */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  let status: 'starting' | 'ok' | 'stopping' = 'starting';
  const tuning = options.alerts ?? {};
  const now = tuning.now ?? (() => new Date());
  const appId = config.MicrosoftAppId ?? '';
  const wire = routeTableOf(config, logger);

  const stores = await openStateStores(config, logger);
  const { storage } = stores;
  const refs = new SavedReferences(stores.refs);
  const watches = new WatchStore(stores.watches, now);
  const states = [new ConversationState(storage), new UserState(storage), new PrivateConversationState(storage)] as const;
  const privateState = states[2];

  const adapter = createAdapter(config, logger);
  adapter.use(turnLoggerMiddleware(logger));
  adapter.use(conversationReferenceMiddleware(refs));
  if (config.mode === 'teams') adapter.use(ssoTokenExchange(stores.flowLocks, config.OAUTH_CONNECTION_NAME));
  const clients = new DataIntegrationClients(config, { baseUrls: serviceBaseUrls(config, options.baseUrls), routes: wire.routes }, logger);
  const ofTurn = turnPersonToken(adapter, config.OAUTH_CONNECTION_NAME);
  const { source, integrationFor } = integrationSources(clients, { ofTurn, ofPerson: proactivePersonToken(adapter, appId, refs, ofTurn) });

  const log = logger.child({ component: 'approvals-and-alerts' });
  const background = new BackgroundWork(log);
  const sender = new ProactiveSender({
    refs, transport: tuning.transport ?? botConnectorTransport(adapter, appId), logger: log, retry: tuning.retry,
    onGone: async (conversationId) => { await watches.markConversationGone(conversationId); },
  });
  const approvalService = new ApprovalService({
    store: stores.approvals, now, ttlHours: config.APPROVAL_TTL_HOURS,
    policy: { approvers: config.SCHEDULE_APPROVERS, allowSelfApproval: config.ALLOW_SELF_APPROVAL },
  });
  const watcher = new RunWatcher(
    { watches, sender, now, logger: log, present: alertPresenter(tuning.adminUrl), mayAct: () => stores.leadership.isLeader(), integrationFor: (w) => integrationFor(w.owner, w.conversationId) },
    { pollMs: tuning.pollMs ?? config.RUN_POLL_SECONDS * 1000, minuteMs: tuning.minuteMs ?? options.minuteMs, sweepEveryPolls: config.RUN_SWEEP_EVERY_POLLS },
  );

  const { bot, approvals } = registerFeatures({
    adapter, refs, watches, watcher, approvals: approvalService, sender, source, integrationFor, background, privateState, userState: states[1], logger: log,
    oauthConnection: config.mode === 'teams' ? config.OAUTH_CONNECTION_NAME : undefined, adminUrl: tuning.adminUrl, expirySweepMs: tuning.expirySweepMs ?? 60_000,
    runClaims: stores.flowLocks,
  });

  const inFlight = new InFlight();
  const server = createServer(
    {
      adapter,
      logger,
      requireAuth: config.mode === 'teams',
      activityGuard: activityGuardFor(config),
      health: () => ({ status, version: config.version, mode: config.mode, ...(wire.overridden.length ? { routesOverridden: wire.overridden } : {}) }),
      ready: readinessOf(stores, () => status),
      logic: guardPersonTurns(stores.flowLocks, logger, async (context) => {
        await bot.run(context);
        for (const state of states) await state.saveChanges(context);
      }),
    },
    inFlight,
  );
  const mounted = options.mount?.(server);
  // Local mode takes unauthenticated activities: only this machine may send them.
  const host = config.mode === 'local' ? '127.0.0.1' : '0.0.0.0';
  const port = await listen(server, config.PORT, host);
  // Only the instance holding the leader lease polls runs and sends alerts; it stops the moment it loses it.
  observeLease(() => stores.leadership.isLeader());
  stores.leadership.start(() => { recordLeaseChange('gained'); watcher.start(); }, () => { recordLeaseChange('lost'); void watcher.stop().then(() => watcher.follow()); });
  watcher.follow();
  approvals.start();
  status = 'ok';
  const url = `http://${config.mode === 'local' ? 'localhost' : host}:${port}`;
  logger.info({ url, mode: config.mode, dataDir: config.DATA_DIR }, 'bot listening');

  return {
    url,
    port,
    alerts: { watcher, watches, watchProject: (input) => watches.watch(input), idle: () => background.idle() },
    async close() {
      status = 'stopping';
      mounted?.close(); // e.g. the playground's open event streams would keep server.close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(10_000);
      approvals.stop();
      await stores.leadership.stop();
      await watcher.stop();
      await background.idle();
      await stores.close();
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

/** INTEGRATOR_ROUTES_FILE applied to the route table; a bad file stops the start like any bad setting. */
function routeTableOf(config: Config, logger: Logger): ReturnType<typeof loadRouteOverrides> {
  try {
    const wire = loadRouteOverrides(config.INTEGRATOR_ROUTES_FILE);
    if (wire.overridden.length) logger.info({ routesOverridden: wire.overridden, file: config.INTEGRATOR_ROUTES_FILE }, 'Data Integrator routes overridden');
    return wire;
  } catch (err) {
    if (!(err instanceof RouteOverrideError)) throw err;
    throw new ConfigError(`Invalid configuration:\n  INTEGRATOR_ROUTES_FILE: ${err.message}`);
  }
}
