import type { Recurrence } from '../../../src/integration/port';
import { scheduleRequestWireSchema, toRecurrence } from '../../../src/integration/wire/schedule';
import { nextRunFrom } from '../engine/recurrence';
import { type Handler, ok } from '../http/router';
import { issue, notFound, parseRequest, validationFailed } from '../http/sandboxHttpError';
import type { ScheduleRecord } from '../store/scheduleStore';
import type { SandboxContext } from './context';
import { scheduleWire } from './toWire';

type Recurring = Extract<Recurrence, { kind: 'recurring' }>;
type ScheduleRoutes = 'getSchedule' | 'setSchedule' | 'pauseSchedule' | 'resumeSchedule';

/** Read, save, pause and resume a project's schedule. */
export function scheduleHandlers(ctx: SandboxContext): Record<ScheduleRoutes, Handler> {
  const { projects, schedules, limits, minuteMs } = ctx;
  const scheduleOf = (projectName: string | undefined) => {
    const project = projects.get(projectName ?? '');
    if (!project) throw notFound(`Project "${projectName}"`);
    return schedules.get(project.name);
  };
  const recurringOf = (schedule: ScheduleRecord, verb: string): Recurring => {
    if (schedule.recurrence.kind === 'recurring') return schedule.recurrence;
    throw validationFailed([issue('recurrence', `Project "${schedule.projectName}" runs manually: there is no schedule to ${verb}`)]);
  };
  const checkTenantLimit = (projectName: string) => {
    const max = limits.maxScheduledProjects;
    if (schedules.countRecurring(projectName) < max) return;
    const message = `The tenant already has ${max} scheduled projects, the most Data Integration allows. Set one of them to run manually first.`;
    throw validationFailed([issue('recurrence', message)], 409, 'ScheduledProjectLimitReached');
  };
  const firstRun = (recurrence: Recurring) => nextRunFrom(recurrence, Date.now(), minuteMs);
  const saved = (schedule: ScheduleRecord) => ok(scheduleWire(schedules.save(schedule)));

  return {
    getSchedule: ({ params }) => ok(scheduleWire(scheduleOf(params.projectName))),
    setSchedule: ({ params, body }) => {
      const { projectName } = scheduleOf(params.projectName);
      const recurrence = toRecurrence(parseRequest(scheduleRequestWireSchema, body).recurrence);
      if (recurrence.kind === 'manual') return saved({ projectName, recurrence, paused: false });
      checkTenantLimit(projectName);
      projects.markRanOrScheduled(projectName);
      return saved({ projectName, recurrence, paused: false, nextRunAt: firstRun(recurrence) });
    },
    pauseSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      recurringOf(current, 'pause');
      return saved({ ...current, paused: true, nextRunAt: undefined });
    },
    resumeSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      const recurrence = recurringOf(current, 'resume');
      return current.paused ? saved({ ...current, paused: false, nextRunAt: firstRun(recurrence) }) : ok(scheduleWire(current));
    },
  };
}
