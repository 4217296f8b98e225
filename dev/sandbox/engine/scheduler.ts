import type { Logger } from 'pino';
import type { ProjectStore } from '../store/projectStore';
import type { ScheduleStore } from '../store/scheduleStore';
import { nextRunAfterDue } from './recurrence';
import type { RunQueue } from './runQueue';

/** Fires recurring schedules on time; `minuteMs` scales the clock so tests see a 1-minute recurrence quickly. */
export class Scheduler {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly schedules: ScheduleStore,
    private readonly projects: ProjectStore,
    private readonly queue: RunQueue,
    private readonly minuteMs: number,
    private readonly logger?: Logger,
  ) {}

  /** Starts checking for due schedules (a few times per sandbox minute). */
  start(): void {
    const tickMs = Math.min(5000, Math.max(20, Math.floor(this.minuteMs / 12)));
    this.timer = setInterval(() => {
      try {
        this.tick(Date.now());
      } catch (err) {
        this.logger?.error({ err }, 'sandbox scheduler tick failed');
      }
    }, tickMs);
  }

  /** Stops the clock; queued runs are left to the queue. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Queues the due runs and moves each schedule on; a run that is still waiting is not queued twice. */
  tick(now: number): void {
    for (const schedule of this.schedules.due(now)) {
      if (!schedule.cadence || schedule.nextRunAt === undefined) continue;
      const nextRunAt = nextRunAfterDue(schedule.cadence, schedule.nextRunAt, now, this.minuteMs);
      this.schedules.save({ ...schedule, nextRunAt });
      const project = this.projects.get(schedule.projectName);
      if (!project || this.queue.hasWaiting(project.name)) continue;
      this.queue.submit(project, 'schedule');
      this.logger?.debug({ project: project.name, nextRunAt: new Date(nextRunAt).toISOString() }, 'scheduled run queued');
    }
  }
}
