import type { Recurrence } from '../../integration/port';
import { scheduleRequestWireSchema, toRecurrence } from '../../integration/wire/schedule';
import { nextRunFrom } from '../engine/recurrence';
import { type Handler, ok } from '../http/router';
import { issue, notFound, parseRequest, validationFailed } from '../http/sandboxHttpError';
import type { ScheduleRecord } from '../store/scheduleStore';
import type { SandboxContext } from './context';
import { scheduleWire } from './toWire';

type Recurring = Extract<Recurrence, { kind: 'recurring' }>;

/** Read, save, pause and resume a project's schedule. */
export function scheduleHandlers(ctx: SandboxContext): Record<'getSchedule' | 'setSchedule' | 'pauseSchedule' | 'resumeSchedule', Handler> {
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
  const startedNow = (recurrence: Recurring) => nextRunFrom(recurrence, Date.now(), minuteMs);

  return {
    getSchedule: ({ params }) => ok(scheduleWire(scheduleOf(params.projectName))),
    setSchedule: ({ params, body }) => {
      const current = scheduleOf(params.projectName);
      const recurrence = toRecurrence(parseRequest(scheduleRequestWireSchema, body).recurrence);
      if (recurrence.kind === 'manual') return ok(scheduleWire(schedules.save({ projectName: current.projectName, recurrence, paused: false })));
      if (schedules.countRecurring(current.projectName) >= limits.maxScheduledProjects) {
        const message = `The tenant already has ${limits.maxScheduledProjects} scheduled projects, the most Data Integration allows. Set one of them to run manually first.`;
        throw validationFailed([issue('recurrence', message)], 409, 'ScheduledProjectLimitReached');
      }
      projects.markRanOrScheduled(current.projectName);
      return ok(scheduleWire(schedules.save({ projectName: current.projectName, recurrence, paused: false, nextRunAt: startedNow(recurrence) })));
    },
    pauseSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      recurringOf(current, 'pause');
      return ok(scheduleWire(schedules.save({ ...current, paused: true, nextRunAt: undefined })));
    },
    resumeSchedule: ({ params }) => {
      const current = scheduleOf(params.projectName);
      const recurrence = recurringOf(current, 'resume');
      if (!current.paused) return ok(scheduleWire(current));
      return ok(scheduleWire(schedules.save({ ...current, paused: false, nextRunAt: startedNow(recurrence) })));
    },
  };
}
