import type { Server as HttpServer } from 'node:http';
import type { Server } from 'restify';
import type { InFlight } from './http/server';
import { LOCK_TTL_MS } from './locks/guardPersonTurns';
import type { Logger } from './logger';
import { settledWithin } from './settledWithin';
import type { Leadership } from './storage/stateStores';
import { observeLease, recordLeaseChange } from './telemetry/recorders';

/** What /healthz reports of the process: starting, serving, or shutting down. */
export type LifeStatus = 'starting' | 'ok' | 'stopping';

/** Something mounted on the bot's server by the local entry (the playground); closed before the server. */
export interface Mounted { close(): void }

/** Work that runs beside the turns: started once the bot listens, stopped before the stores close. */
export interface Background { start(): void; stop(): void }

/** Housekeeping of the stores (expired locks, values set aside long ago): started with the bot on every instance; its stop waits for the pass in progress. */
export interface Housekeeping { start(): void; stop(): Promise<void> }

/** The run watcher as the process drives it: polls only while this instance leads, follows otherwise. */
export interface LeaderWork {
  start(): void;
  follow(): void;
  stop(): Promise<void>;
}

/** The built parts whose lives the process orders (construction happens in app.ts). */
export interface LifeParts {
  leadership: Leadership;
  watcher: LeaderWork;
  /** The approvals' expiry sweep and reminders. */
  reminders: Background;
  /** The lock table's pruning: a chore of the process, whichever features are registered. */
  housekeeping: Housekeeping;
  /** The work started after answering clicks (card updates, schedules): awaited before the stores close. */
  background: { idle(): Promise<void> };
  inFlight: InFlight;
  stores: { close(): Promise<void> };
  logger: Logger;
}

/** Where the server listens and what is mounted on it. */
export interface Listening { server: Server; port: number; host: string; mounted?: Mounted }

/**
 * The life of a running bot process, in one place: listen, follow the leader lease (the watcher polls only
 * while this instance holds it), start the reminders and the housekeeping (on every instance), and shut down in
 * order (no new turn, turns drained, background and housekeeping stopped, stores closed).
 */
export class ProcessLife {
  /** Read by /healthz. */
  status: LifeStatus = 'starting';
  private listening?: Listening;

  constructor(private readonly parts: LifeParts) {}

  /** Listens, then starts the work beside the turns; resolves with the port actually bound. */
  async start(listening: Listening): Promise<number> {
    const { leadership, watcher, reminders, housekeeping, logger } = this.parts;
    this.listening = listening;
    const port = await listen(listening.server, listening.port, listening.host);
    // Only the instance holding the leader lease polls runs and sends alerts; it stops the moment it loses it.
    observeLease(() => leadership.isLeader());
    // A lease given up by close() is lost too: the watcher then stays stopped (a follow started after close() kept a
    // 2 s interval, and the process or the test worker, alive).
    leadership.start(() => { recordLeaseChange('gained'); watcher.start(); }, () => {
      recordLeaseChange('lost');
      void watcher.stop()
        .catch((err: unknown) => logger.error({ err }, 'run watcher did not stop cleanly'))
        .then(() => { if (this.status !== 'stopping') watcher.follow(); });
    });
    watcher.follow();
    reminders.start();
    housekeeping.start();
    this.status = 'ok';
    return port;
  }

  /**
   * Stops taking turns, lets the running ones finish (TURNS_DRAINED_MS at most), closes the connections, then stops the
   * background and closes the stores, once any turn still running ended (TURNS_FINISHED_MS at most). Once stopping, every answer closes its connection (`Connection: close`, from
   * http/server.ts); the server is not awaited first: Node's close() ends only the connections idle at that moment, and
   * one that carried a turn would then be kept the whole keep-alive time (75 s, CONNECTION_LIMITS) before anything
   * else stopped. App Service waits 5 s by default for a container to end after SIGTERM, then kills it
   * (WEBSITES_CONTAINER_STOP_TIME_LIMIT, at most 120 s, which the template sets: learn.microsoft.com/azure/app-service/reference-app-settings,
   * listed under "Custom containers"; whether the built-in Node stack the template runs gets the same is not verified).
   */
  async close(): Promise<void> {
    const { leadership, watcher, reminders, housekeeping, background, inFlight, stores, logger } = this.parts;
    this.status = 'stopping';
    this.listening?.mounted?.close(); // e.g. the playground's open event streams would keep server.close() waiting
    const server = this.listening?.server;
    // No new connection from here on; requests on the open ones are still answered (and close them).
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await inFlight.drained(TURNS_DRAINED_MS);
    if (server) await connectionsEnded(server.server, closed);
    reminders.stop();
    await housekeeping.stop();
    await leadership.stop();
    await this.watcherStopped(watcher.stop());
    // A turn past TURNS_DRAINED_MS (a slow Create: retries through time-outs) lost its connection, not its work: its
    // state save and its person lock's release still go to the stores, which close only once it ended (or its lock ran out).
    await inFlight.drained(TURNS_FINISHED_MS);
    await this.backgroundStopped(background.idle());
    await stores.close();
    logger.info('bot stopped');
  }

  /** Waits for the watcher's poll in progress, WATCHER_STOPPED_MS at most: what it had not written is found again by the next lead. */
  private async watcherStopped(stopped: Promise<void>): Promise<void> {
    if (!(await settledWithin(stopped, WATCHER_STOPPED_MS))) this.parts.logger.warn({ waitedMs: WATCHER_STOPPED_MS }, 'run watcher still busy (a poll held by a slow service); stopping without it');
  }

  /**
   * Waits for the background work (a card action answered "working on it", an approved schedule's save), BACKGROUND_STOPPED_MS
   * at most: a save's claim is taken over by another instance's sweep, and a late reply is lost as it would be to the kill.
   */
  private async backgroundStopped(idle: Promise<void>): Promise<void> {
    if (!(await settledWithin(idle, BACKGROUND_STOPPED_MS))) this.parts.logger.warn({ waitedMs: BACKGROUND_STOPPED_MS }, 'background work still running (a card action held by a slow service); stopping without it');
  }
}

/** How long a shutdown waits for the turns in flight before it ends the connections (the Bot Connector gives up on an answer after 15 s anyway). */
const TURNS_DRAINED_MS = 10_000;
/** How long the stores stay open for a turn still running after that: its person lock's lease, past which another instance may take the person's turns. */
const TURNS_FINISHED_MS = LOCK_TTL_MS;
/**
 * How long a shutdown waits for the run watcher's poll in progress (a Dataverse that throttles can hold one for minutes):
 * past it the stores close under it, its writes fail (logged), and the next lead reads again what it had not recorded.
 */
export const WATCHER_STOPPED_MS = 15_000;
/**
 * How long a shutdown waits for the background work still running once the turns ended (a card action answered late whose
 * service throttles can take minutes): past it the stores close under it, and its writes fail (logged).
 */
export const BACKGROUND_STOPPED_MS = 15_000;
/** Once the turns are drained, how long their answers get to reach the client before every connection is cut. */
const ANSWERS_SENT_MS = 1_000;
/**
 * The most a shutdown waits of its own: the turns in flight, their answers, the run watcher's poll in progress, a turn
 * still running after that, and the background work. Its store calls come on top (each within its deadline), and so does the telemetry's
 * flush (main.ts). App Service must wait at least this long between SIGTERM and the kill:
 * WEBSITES_CONTAINER_STOP_TIME_LIMIT in infra/azuredeploy.json (test/infra/azureTemplate.test.ts checks it covers it).
 */
export const SHUTDOWN_WAITS_MS = TURNS_DRAINED_MS + ANSWERS_SENT_MS + WATCHER_STOPPED_MS + TURNS_FINISHED_MS + BACKGROUND_STOPPED_MS;
/** How often, meanwhile, the connections that became idle are closed (an answer's connection is idle once it was sent). */
const IDLE_CLOSED_EVERY_MS = 50;

/**
 * Ends the connections left once the turns are drained: each as soon as it is idle, the rest (an answer still being
 * written, a turn past TURNS_DRAINED_MS, a client that keeps sending) after ANSWERS_SENT_MS; resolves when the server closed.
 */
async function connectionsEnded(http: HttpServer, closed: Promise<void>): Promise<void> {
  http.closeIdleConnections();
  const idle = setInterval(() => http.closeIdleConnections(), IDLE_CLOSED_EVERY_MS);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), ANSWERS_SENT_MS); });
  if (await Promise.race([closed.then(() => false), late])) http.closeAllConnections();
  clearInterval(idle);
  clearTimeout(timer);
  await closed;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
