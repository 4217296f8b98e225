import type { DataIntegration, Execution, ProjectSummary, Recurrence, Schedule } from '../../src/integration/port';
import { DataIntegrationError } from '../../src/integration/port';

/** An in-memory Data Integration with projects, schedules and run histories that tests change directly. */
export class FakeIntegration {
  projects: ProjectSummary[] = [];
  schedules = new Map<string, Schedule>();
  executions = new Map<string, Execution[]>();
  failWith?: DataIntegrationError;
  calls: string[] = [];

  addProject(name: string, recurrence: Recurrence = { kind: 'manual' }): this {
    this.projects.push({ name, displayName: name });
    this.schedules.set(name, { projectName: name, recurrence, paused: false });
    return this;
  }

  /** Adds a finished (or running) execution, newest first as the service lists them. */
  addRun(projectName: string, run: Partial<Execution> & { id: string; endedAt?: string }): Execution {
    const execution: Execution = {
      projectName, status: 'succeeded', upserts: 10, errorCount: 0, recordErrors: [],
      submittedAt: run.startedAt ?? run.endedAt ?? new Date().toISOString(),
      startedAt: run.endedAt ?? new Date().toISOString(), ...run,
    };
    this.executions.set(projectName, [execution, ...(this.executions.get(projectName) ?? [])]);
    return execution;
  }

  /** Pauses or resumes a project's schedule (as a click elsewhere would). */
  setPaused(projectName: string, paused: boolean): Schedule {
    const current = this.schedules.get(projectName) ?? { projectName, recurrence: { kind: 'manual' }, paused: false };
    const { nextRunAt: _next, ...rest } = current;
    const s: Schedule = paused ? { ...rest, paused } : { ...current, paused, nextRunAt: '2030-01-01T00:05:00.000Z' };
    this.schedules.set(projectName, s);
    return s;
  }

  get client(): DataIntegration {
    const guard = (name: string) => {
      this.calls.push(name);
      if (this.failWith) throw this.failWith;
    };
    const fake: Partial<DataIntegration> = {
      listProjects: async () => { guard('listProjects'); return this.projects; },
      listExecutions: async (p) => { guard('listExecutions'); return this.executions.get(p) ?? []; },
      getExecution: async (p, id) => {
        guard('getExecution');
        const found = (this.executions.get(p) ?? []).find((e) => e.id === id);
        if (!found) throw new DataIntegrationError('no such run', { service: 'integrator', code: 'not_found', status: 404 });
        return found;
      },
      getSchedule: async (p) => { guard('getSchedule'); return this.schedules.get(p) ?? { projectName: p, recurrence: { kind: 'manual' }, paused: false }; },
      // Saving a schedule resumes it, as the sandbox does (the real service's behaviour is unverified).
      setSchedule: async (p, recurrence) => {
        guard('setSchedule');
        const s: Schedule = { projectName: p, recurrence, paused: false, nextRunAt: '2030-01-01T00:05:00.000Z' };
        this.schedules.set(p, s);
        return s;
      },
      pauseSchedule: async (p) => { guard('pauseSchedule'); return this.setPaused(p, true); },
      resumeSchedule: async (p) => { guard('resumeSchedule'); return this.setPaused(p, false); },
    };
    return fake as DataIntegration;
  }
}
