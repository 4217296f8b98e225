import { DataIntegration, Execution, Schedule } from './port';

/** One project as "status" lists it: its last run and its schedule. */
export interface ProjectOverview {
  /** The name people read (the display name where the service has one). */
  name: string;
  /** The project's name at the service, which commands and buttons use. */
  projectName?: string;
  lastRun?: Execution;
  schedule: Schedule;
}

/** "status": every project with its last run and its schedule. */
export async function projectOverview(di: DataIntegration): Promise<ProjectOverview[]> {
  const projects = await di.listProjects();
  return Promise.all(
    projects.map(async (p) => {
      const [executions, schedule] = await Promise.all([di.listExecutions(p.name), di.getSchedule(p.name)]);
      return { name: p.displayName || p.name, projectName: p.name, lastRun: executions[0], schedule };
    }),
  );
}
