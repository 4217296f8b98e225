import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { executionWire, scheduleWire } from '../../dev/sandbox/handlers/toWire';
import type { ExecutionRecord } from '../../dev/sandbox/store/executionStore';
import type { ScheduleRecord } from '../../dev/sandbox/store/scheduleStore';

/** A failure the integrator answers with, for the projects it names, while `Date.now()` is in [from, until). */
export interface IntegratorFault {
  projects: (projectName: string) => boolean;
  /** Answer this status (e.g. 500) instead of the real body. */
  status?: number;
  /** Wait this long (read on the process's clock, simulated or not) before answering; longer than the client's time-out is a hang. */
  delayMs?: number;
  from: number;
  until: number;
}

/** What the integrator serves: each project's runs (newest first) and schedule, computed from the clock. */
export interface IntegratorWorld {
  executions(projectName: string): ExecutionRecord[];
  schedule(projectName: string): ScheduleRecord;
}

/** A running local integrator. */
export interface LocalIntegrator {
  /** The base URL to configure as the integrator's (project ids are the project names: prime the client's id cache). */
  baseUrl: string;
  readonly faults: IntegratorFault[];
  /** Requests answered, by project. */
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

const HISTORY = /\/api\/ProjectExecutionWithCompanies\/([^/?]+)$/;
const SCHEDULE = /\/api\/Project\/([^/?]+)\/Schedule$/;

/**
 * The two integrator routes the run watcher reads (run history, schedule), on loopback, speaking the
 * sandbox's wire, with faults that can be switched on for a time: a status, a delay, or both.
 */
export async function startLocalIntegrator(world: IntegratorWorld): Promise<LocalIntegrator> {
  const faults: IntegratorFault[] = [];
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const history = HISTORY.exec(path);
    const schedule = SCHEDULE.exec(path);
    const name = decodeURIComponent((history ?? schedule)?.[1] ?? '');
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!name) return send(404, { error: { code: 'NotFound', message: path } });
    calls.set(name, (calls.get(name) ?? 0) + 1);
    const now = Date.now();
    const fault = faults.find((f) => f.from <= now && now < f.until && f.projects(name));
    const answer = () => {
      if (fault?.status) return send(fault.status, { error: { code: `Status${fault.status}`, message: 'injected by the local integrator' } });
      if (history) return send(200, { projectName: name, projectExecutionResponses: world.executions(name).map((e) => executionWire(e, [])) });
      return send(200, scheduleWire(world.schedule(name)));
    };
    if (fault?.delayMs) setTimeout(answer, fault.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integrator`,
    faults,
    calls,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
