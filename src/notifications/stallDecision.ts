import { describeRecurrence } from '../scheduleApprovals/recurrence';
import { DEFAULT_STALL_GRACE_MINUTES, isStalled, lastRunAt } from './stallCheck';
import { AlertMessage, messageKey, WatchChange } from './alertMessage';
import type { WatchFacts } from './watchDecision';

/** What the stall rule decided for a watch: bookkeeping to write, an alert, or a fresh look at the schedule first. */
export interface StallDecision {
  change?: WatchChange;
  message?: AlertMessage;
  confirm: boolean;
}

/**
 * One alert when an active schedule stops firing, one when it fires again. Said only on a schedule
 * just read from the service; on one carried forward, the answer is "read it again first".
 */
export function stallDecision(facts: WatchFacts): StallDecision {
  const { watch, schedule, now, rules } = facts;
  if (!schedule) return { confirm: false };
  const active = schedule.recurrence.kind === 'recurring' && !schedule.paused;
  if (!active) {
    const change = watch.scheduleActiveSince || watch.stalledAt ? { scheduleActiveSince: undefined, stalledAt: undefined } : undefined;
    return { change, confirm: false };
  }
  const activeSince = watch.scheduleActiveSince ?? now.toISOString();
  const change: WatchChange | undefined = watch.scheduleActiveSince ? undefined : { scheduleActiveSince: activeSince };
  const stalled = isStalled({
    schedule, executions: facts.executions, activeSince, now, minuteMs: rules.minuteMs, graceMinutes: rules.stallGraceMinutes ?? DEFAULT_STALL_GRACE_MINUTES,
  });
  if (stalled === Boolean(watch.stalledAt)) return { change, confirm: false };
  if (!facts.scheduleFresh) return { change, confirm: true };
  const message: AlertMessage = {
    key: messageKey(watch, stalled ? 'stalled' : 'recovered'), watch, to: { thread: true },
    alert: {
      kind: 'stalled', projectName: watch.projectName, recurrenceText: describeRecurrence(schedule.recurrence),
      lastRunAt: new Date(lastRunAt(facts.executions, activeSince)).toISOString(), recovered: !stalled,
    },
    summary: stalled ? `${watch.projectName}: schedule stalled` : `${watch.projectName}: schedule runs again`,
    onSent: { change: { stalledAt: stalled ? now.toISOString() : undefined } },
  };
  return { change, message, confirm: false };
}
