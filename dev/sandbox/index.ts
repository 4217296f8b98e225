import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { openDatabase } from './db/openDatabase';
import { DataflowRefresher } from './engine/dataflowRefresher';
import { Runner } from './engine/runner';
import { RunQueue } from './engine/runQueue';
import { Scheduler } from './engine/scheduler';
import { DEFAULT_LIMITS, type SandboxContext, type SandboxLimits } from './handlers/context';
import { createHandlers } from './handlers';
import { Delays } from './http/delays';
import { type FaultHandle, type FaultSpec, FaultInjector } from './http/faults';
import { Router } from './http/router';
import { createSandboxServer } from './http/server';
import { TokenGate } from './http/tokenGate';
import { connectionSetRecordSchema, templateRecordSchema } from './model';
import { type SeedOptions, seedTenant } from './seed/seedTenant';
import { DataflowRowStore } from './store/dataflowRowStore';
import { DocumentStore } from './store/documentStore';
import { ExecutionStore } from './store/executionStore';
import { ProjectStore } from './store/projectStore';
import { RecordStore, type TableRow } from './store/recordStore';
import { ScheduleStore } from './store/scheduleStore';
import { TenantStore } from './store/tenantStore';

export type { FaultHandle, FaultSpec, SandboxLimits, SeedOptions, TableRow };
export { SANDBOX_ENVIRONMENTS, SANDBOX_TENANT_ID, SANDBOX_USER } from './seed/tenant';
export { DATAFLOW_ENVIRONMENT, FLAKY_FAILS_EVERY, SANDBOX_DATAFLOWS } from './seed/dataflows';

/** Options of startSandbox. */
export interface SandboxOptions {
  /** Loopback port; 0 picks a free one. */
  port: number;
  /** The sandbox keeps `${dataDir}/sandbox.sqlite`; a fresh folder is a fresh tenant. */
  dataDir: string;
  logger?: Logger;
  /** Used only when the data folder holds no tenant yet. */
  seed?: SeedOptions;
  /** Real milliseconds per schedule minute (default 60,000); tests shrink it. */
  minuteMs?: number;
  /** Override documented limits, e.g. to reach the 50-scheduled-projects limit in a test. */
  limits?: Partial<SandboxLimits>;
  /** Seconds between two refreshes of each seeded dataflow (SANDBOX_DATAFLOW_EVERY_SECONDS, default 60). */
  dataflowEverySeconds?: number;
  /** Rows per Dataverse page before `@odata.nextLink` (default 5,000, as Dataverse); tests shrink it to see paging. */
  dataversePageSize?: number;
}

/** A running sandbox. */
export interface Sandbox {
  readonly port: number;
  /** Base URLs to give the client; Dataverse URLs come from each environment. */
  readonly baseUrls: { bap: string; powerapps: string; integrator: string };
  /** Fault injection for tests (also at POST/DELETE /_sandbox/faults). */
  readonly faults: { inject(fault: FaultSpec): FaultHandle; clear(): void };
  /** Stops or restarts the schedule clock: schedules then stop firing silently, as users report of the real service. */
  readonly scheduler: { halt(): void; resume(): void };
  /** The seeded dataflows' clock: refresh all of them now (returns the refresh ids), stop or restart it; delete one. */
  readonly dataflows: { refreshNow(endMs?: number): string[]; halt(): void; resume(): void; remove(dataflowId: string): void };
  /** Rows of a table in an environment (source side). */
  sourceRows(environmentName: string, table: string): TableRow[];
  /** Rows of a table in an environment (destination side). */
  destinationRows(environmentName: string, table: string): TableRow[];
  /** Stops the scheduler and runs, closes the server and the database. Safe to call twice. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the embedded Data Integration service on loopback, over its SQLite state. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { logger } = options;
  const minuteMs = options.minuteMs ?? 60_000;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const db = openDatabase(options.dataDir);
  if (seedTenant(db, options.seed)) logger?.info({ dataDir: options.dataDir }, 'sandbox tenant seeded');
  const stop = new AbortController();
  const records = new RecordStore(db);
  const projects = new ProjectStore(db);
  const executions = new ExecutionStore(db);
  const schedules = new ScheduleStore(db);
  const { maxRowsPerExecution } = limits;
  const dataflowRows = new DataflowRowStore(db);
  const refresher = new DataflowRefresher(dataflowRows, (options.dataflowEverySeconds ?? 60) * 1000, logger);
  refresher.seed(Date.now());
  const runner = new Runner({ db, projects, executions, records, maxRowsPerExecution, signal: stop.signal, logger });
  const queue = new RunQueue(runner, executions, projects, logger);
  const ctx: SandboxContext = {
    tenant: new TenantStore(db),
    templates: new DocumentStore(db, 'templates', templateRecordSchema),
    connectionSets: new DocumentStore(db, 'connection_sets', connectionSetRecordSchema),
    projects, schedules, executions, records, queue, limits, minuteMs, dataflowRows, dataversePageSize: options.dataversePageSize ?? 5000,
  };
  const faults = new FaultInjector();
  const delays = new Delays();
  const scheduler = new Scheduler(schedules, projects, queue, minuteMs, logger);
  const server = createSandboxServer({ router: new Router(createHandlers(ctx)), faults, tokens: new TokenGate(), delays, logger });

  let port: number;
  try {
    port = await listen(server, options.port);
  } catch (error) {
    db.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The sandbox could not listen on 127.0.0.1:${options.port} (${reason}); set SANDBOX_PORT`, { cause: error });
  }
  queue.resume();
  scheduler.start();
  refresher.start();
  const origin = `http://127.0.0.1:${port}`;
  logger?.info({ origin }, 'sandbox listening');

  const shutdown = async () => {
    scheduler.stop();
    refresher.stop();
    stop.abort();
    delays.cancelAll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await queue.drain();
    db.close();
  };
  let closing: Promise<void> | undefined;
  const rows = (environmentName: string, table: string) => records.table(environmentName, table).rows();
  return {
    port,
    baseUrls: { bap: `${origin}/bap`, powerapps: `${origin}/powerapps`, integrator: `${origin}/integrator` },
    faults: { inject: (fault) => faults.inject(fault), clear: () => faults.clear() },
    scheduler: { halt: () => scheduler.stop(), resume: () => { scheduler.stop(); scheduler.start(); } },
    dataflows: {
      refreshNow: (endMs) => refresher.refreshAll(endMs ?? Date.now()),
      halt: () => refresher.stop(),
      resume: () => { refresher.stop(); refresher.start(); },
      remove: (dataflowId) => refresher.remove(dataflowId),
    },
    sourceRows: rows,
    destinationRows: rows,
    close: () => (closing ??= shutdown()),
  };
}
