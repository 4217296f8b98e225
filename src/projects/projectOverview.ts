import { bulkhead } from 'cockatiel';
import { DataIntegration, Execution, Schedule } from '../integration/port';
import type { Person } from '../person';
import type { ApprovalRequest } from '../scheduleApprovals/approvalRequest';

/** Who paused a schedule through the bot, and when. */
export interface PauseNote { by?: Person; at: string }

/** What the bot keeps about a project beside the service: a schedule request waiting for approval, and who paused it. */
export interface ProjectNotes {
  pending(projectName: string): Promise<ApprovalRequest | undefined>;
  whoPaused(projectName: string): Promise<PauseNote | undefined>;
}

/** How many projects "status" reads at once (each is two or three service calls). */
export const PROJECTS_READ_AT_ONCE = 8;

/** One project as "status" lists it: its last run, a run going, its schedule, and what waits on it. */
export interface ProjectOverview {
  /** The name people read (the display name where the service has one). */
  name: string;
  /** The project's name at the service, which commands and buttons use. */
  projectName?: string;
  /** The last run that ended. */
  lastRun?: Execution;
  /** A run queued or going now. */
  running?: Execution;
  schedule: Schedule;
  /** A schedule request waiting for an approver. */
  pendingRequest?: Pick<ApprovalRequest, 'recurrence' | 'requestedBy' | 'requestedAt' | 'expiresAt'>;
  /** Who paused the schedule, when it is paused and the bot knows. */
  pausedBy?: PauseNote;
}

const going = (e: Execution) => e.status === 'queued' || e.status === 'running';

/**
 * "status": every project (those whose name or display name contains `filter`, any case) with its last run, a run going
 * and its schedule, and (from `notes`) a request waiting and who paused it. Notes that cannot be read leave those lines
 * out rather than fail the list. The filter is applied before the runs are read: a tenant's hundred projects are not all
 * read to show the one asked for.
 */
export async function projectOverview(di: DataIntegration, notes?: ProjectNotes, filter = ''): Promise<ProjectOverview[]> {
  const part = filter.toLocaleLowerCase();
  const projects = (await di.listProjects()).filter((p) => `${p.name}\n${p.displayName ?? ''}`.toLocaleLowerCase().includes(part));
  // A few projects at a time: a tenant's hundred projects are three hundred reads, which all at once would open as many
  // connections to the service and invite its throttling.
  const reading = bulkhead(PROJECTS_READ_AT_ONCE, Number.MAX_SAFE_INTEGER);
  return Promise.all(
    projects.map((p) => reading.execute(async () => {
      const [executions, schedule, pendingRequest] = await Promise.all([
        di.listExecutions(p.name), di.getSchedule(p.name), notes?.pending(p.name).catch(() => undefined),
      ]);
      const pausedBy = schedule.paused ? await notes?.whoPaused(p.name).catch(() => undefined) : undefined;
      const running = executions[0] && going(executions[0]) ? executions[0] : undefined;
      return { name: p.displayName || p.name, projectName: p.name, lastRun: executions.find((e) => !going(e)), running, schedule, pendingRequest, pausedBy };
    })),
  );
}
