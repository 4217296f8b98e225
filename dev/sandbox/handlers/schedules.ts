import { nextRunFrom } from '../engine/recurrence';
import { type Handler, ok } from '../http/router';
import { issue, notFound, parseRequest, validationFailed } from '../http/sandboxHttpError';
import type { Cadence, ScheduleRecord } from '../store/scheduleStore';
import { cadenceOf, scheduleRequestSchema } from '../wire/schedule';
import type { SandboxContext } from './context';
import { scheduleWire } from './toWire';

type ScheduleRoutes = 'getSchedule' | 'setSchedule' | 'pauseSchedule' | 'resumeSchedule';

/** Read, save, pause and resume a project's schedule. */
export function scheduleHandlers(ctx: SandboxContext): Record<ScheduleRoutes, Handler> {
  const { projects, schedules, limits, minuteMs } = ctx;
  const scheduleOf = (projectName: string | undefined) => {
    const project = projects.get(projectName ?? '');
    if (!project) throw notFound(`Project "${projectName}"`);
    return schedules.get(project.name);
  };
  const cadenceFor = (schedule: ScheduleRecord, verb: string): Cadence => {
    if (schedule.cadence) return schedule.cadence;
    throw validationFailed([issue('recurrence', `Project "${schedule.projectName}" runs manually: there is no schedule to ${verb}`)]);
  };
  const checkTenantLimit = (projectName: string) => {
    const max = limits.maxScheduledProjects;
    if (schedules.countRecurring(projectName) < max) return;
    const message = `The tenant already has ${max} scheduled projects, the most Data Integration allows. Set one of them to run manually first.`;
    throw validationFailed([issue('recurrence', message)], 409, 'ScheduledProjectLimitReached');
  };
  const firstRun = (cadence: Cadence) => nextRunFrom(cadence, Date.now(), minuteMs);
  const saved = (schedule: ScheduleRecord) => ok(scheduleWire(schedules.save(schedule)));

  return {
    getSchedule: ({ params }) => ok(scheduleWire(scheduleOf(params.projectName))),
    setSchedule: ({ params, body }) => {
      const { projectName } = scheduleOf(params.projectName);
      const cadence = cadenceOf(parseRequest(scheduleRequestSchema, body).recurrence);
      if (!cadence) return saved({ projectName, paused: false });
      checkTenantLimit(projectName);
      projects.markRanOrScheduled(projectName);
      return saved({ projectName, cadence, paused: false, nextRunAt: firstRun(cadence) });
    },
    pauseSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      cadenceFor(current, 'pause');
      return saved({ ...current, paused: true, nextRunAt: undefined });
    },
    resumeSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      const cadence = cadenceFor(current, 'resume');
      return current.paused ? saved({ ...current, paused: false, nextRunAt: firstRun(cadence) }) : ok(scheduleWire(current));
    },
  };
}
