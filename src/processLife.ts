import type { Server } from 'restify';
import type { InFlight } from './http/server';
import type { Logger } from './logger';
import type { Leadership } from './storage/stateStores';
import { observeLease, recordLeaseChange } from './telemetry/recorders';

/** What /healthz reports of the process: starting, serving, or shutting down. */
export type LifeStatus = 'starting' | 'ok' | 'stopping';

/** Something mounted on the bot's server by the local entry (the playground); closed before the server. */
export interface Mounted { close(): void }

/** Work that runs beside the turns: started once the bot listens, stopped before the stores close. */
export interface Background { start(): void; stop(): void }

/** Housekeeping of the stores (the expired locks): started with the bot on every instance; its stop waits for the pass in progress. */
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

  /** Stops taking turns, lets the running ones finish (10 s at most), then stops the background and closes the stores. */
  async close(): Promise<void> {
    const { leadership, watcher, reminders, housekeeping, background, inFlight, stores, logger } = this.parts;
    this.status = 'stopping';
    this.listening?.mounted?.close(); // e.g. the playground's open event streams would keep server.close() waiting
    const server = this.listening?.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await inFlight.drained(10_000);
    reminders.stop();
    await housekeeping.stop();
    await leadership.stop();
    await watcher.stop();
    await background.idle();
    await stores.close();
    logger.info('bot stopped');
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
