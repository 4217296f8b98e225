import { describeRecurrence } from '../approvals/recurrence';
import type { Execution, Schedule } from '../integration/port';
import type { OutboxItem } from './alertOutbox';
import type { DeliveryResult } from './proactiveSender';
import { endOf, outcomeOf, runAlertOf, shouldNotify } from './runAlert';
import { DEFAULT_STALL_GRACE_MINUTES, isStalled, lastRunAt } from './stallCheck';
import type { WatchAlert } from './watchAlert';
import type { Watch, WatchStore } from './watchStore';

/** How the check of one watch reaches the conversation: post into the project's thread, or replace a card. */
export interface AlertChannel {
  post(watch: Watch, alert: WatchAlert, summary: string): Promise<DeliveryResult>;
  replace(watch: Watch, activityId: string, alert: WatchAlert): Promise<DeliveryResult>;
}

/** What checking a watch needs. */
export interface WatchCheckDeps {
  watches: WatchStore;
  channel: AlertChannel;
  now: () => Date;
  /** Whether an alert with this key is already waiting to be sent (it is not queued twice). */
  queued: (key: string) => boolean;
  /** True while a run is being started from chat for the watch: its alerts wait, the run's card will show it. */
  held: (watch: Watch) => boolean;
  minuteMs: number;
  stallGraceMinutes?: number;
  digestAbove: number;
}

/** A run with the rejected records its card lists named (best effort, never rejects); see withRecordNames. */
export type NameRecords = (execution: Execution) => Promise<Execution>;

const keyOf = (watch: Watch, what: string) => `${watch.conversationId}|${watch.projectName}|${what}`;

/**
 * Decides what one watch's conversation must be told after a poll of its project: finished runs
 * (a card to update for a run started from chat, one alert per run, or one digest), a schedule
 * that stalled or recovered. Each item records itself only once delivered.
 */
export async function alertsFor(
  deps: WatchCheckDeps, watch: Watch, executions: Execution[], schedule: Schedule,
  options: { pendingOnly?: boolean; fresh?: () => Promise<Schedule>; named?: NameRecords } = {},
): Promise<OutboxItem[]> {
  const { pendingOnly = false, fresh = async () => schedule, named = async (e) => e } = options;
  const runs = await runItems(deps, watch, executions, schedule, pendingOnly || deps.held(watch), named);
  return pendingOnly ? runs : [...runs, ...(await stallItems(deps, watch, executions, schedule, fresh))];
}

/** The one item when the watcher has no working sign-in for the project. */
export function signInNeededItem(deps: WatchCheckDeps, watch: Watch): OutboxItem[] {
  if (watch.signInNeededAt) return [];
  return [item(watch, keyOf(watch, 'sign-in'), async () => {
    const result = await deps.channel.post(watch, { kind: 'signInNeeded', projectName: watch.projectName, ownerName: watch.owner.name }, `Sign-in needed to keep watching ${watch.projectName}`);
    if (result.status === 'sent') await deps.watches.update(watch, { signInNeededAt: deps.now().toISOString() });
    return result.status === 'sent';
  })];
}

function item(watch: Watch, key: string, deliver: () => Promise<boolean>): OutboxItem {
  return { key, conversationId: watch.conversationId, deliver };
}

async function runItems(
  deps: WatchCheckDeps, watch: Watch, executions: Execution[], schedule: Schedule, pendingOnly: boolean, named: NameRecords,
): Promise<OutboxItem[]> {
  const since = Date.parse(watch.since);
  const finished = executions
    .map((e) => ({ e, outcome: outcomeOf(e.status) }))
    .filter((x): x is { e: Execution; outcome: NonNullable<typeof x.outcome> } => x.outcome !== undefined && Date.parse(endOf(x.e)) >= since)
    .filter((x) => !deps.queued(keyOf(watch, x.e.id)));
  if (finished.length === 0) return [];
  const seen = await deps.watches.reported(watch, finished.map((x) => x.e.id));
  for (const done of (watch.pendingRuns ?? []).filter((r) => seen.has(r.executionId))) await deps.watches.removePendingRun(watch, done.executionId);
  const fresh = finished.filter((x) => !seen.has(x.e.id)).sort((a, b) => Date.parse(endOf(a.e)) - Date.parse(endOf(b.e)));
  const pending = new Map((watch.pendingRuns ?? []).map((r) => [r.executionId, r.activityId]));
  const items: OutboxItem[] = [];
  const reportOnce = (ids: string[], send: () => Promise<DeliveryResult>) => async () => {
    const result = await send();
    // The one write between the connector's answer and "alerted": a crash just here is the only way to repeat an alert.
    if (result.status === 'sent') await deps.watches.markReported(watch, ids);
    return result.status === 'sent';
  };
  const resultOf = (e: Execution, activityId: string) => async () => {
    const delivered = await reportOnce([e.id], () => deps.channel.replace(watch, activityId, { kind: 'runResult', projectName: watch.projectName, execution: e }))();
    if (delivered) await deps.watches.removePendingRun(watch, e.id);
    return delivered;
  };
  for (const { e } of fresh.filter((x) => pending.has(x.e.id))) items.push(item(watch, keyOf(watch, e.id), resultOf(await named(e), pending.get(e.id)!)));
  if (pendingOnly) return items;
  const rest = fresh.filter((x) => !pending.has(x.e.id));
  const quiet = rest.filter((x) => !shouldNotify(watch.notifyLevel, x.outcome));
  await deps.watches.markReported(watch, quiet.map((x) => x.e.id));
  const loudRuns = rest.filter((x) => shouldNotify(watch.notifyLevel, x.outcome));
  // A digest lists no records, so only runs alerted one by one have their records named.
  const shown = loudRuns.length > deps.digestAbove ? loudRuns : await Promise.all(loudRuns.map(async (x) => ({ ...x, e: await named(x.e) })));
  const loud = shown.map((x) => runAlertOf(x.e, x.outcome, schedule));
  if (loud.length > deps.digestAbove) {
    const ids = loud.map((a) => a.executionId);
    items.push(item(watch, keyOf(watch, `digest|${ids.join(',')}`), reportOnce(ids, () =>
      deps.channel.post(watch, { kind: 'digest', alerts: loud }, `${loud.length} runs of ${watch.projectName} finished`))));
    return items;
  }
  for (const alert of loud) {
    const execution = shown.find((x) => x.e.id === alert.executionId)!.e;
    items.push(item(watch, keyOf(watch, alert.executionId), async () => {
      // "Run now" registers its run just after the service started it: a run that finished that fast updates its card, not a new alert.
      const started = (await deps.watches.get(watch))?.pendingRuns?.find((r) => r.executionId === alert.executionId);
      if (started) return resultOf(execution, started.activityId)();
      return reportOnce([alert.executionId], () => deps.channel.post(watch, { kind: 'run', alert }, `${watch.projectName} ${alert.outcome}`))();
    }));
  }
  return items;
}

/** One alert when an active schedule stops firing, one when it fires again; the schedule is read again before either is said. */
async function stallItems(deps: WatchCheckDeps, watch: Watch, executions: Execution[], cached: Schedule, fresh: () => Promise<Schedule>): Promise<OutboxItem[]> {
  const changes = (schedule: Schedule) => stallChange(deps, watch, executions, schedule);
  if ((await changes(cached)) === undefined) return [];
  const schedule = await fresh();
  const stalled = await changes(schedule);
  if (stalled === undefined) return [];
  return [stallItem(deps, watch, executions, schedule, stalled)];
}

/** Whether the stall state changes now (true: stalled, false: recovered), or undefined; keeps the bookkeeping of an active schedule. */
async function stallChange(deps: WatchCheckDeps, watch: Watch, executions: Execution[], schedule: Schedule): Promise<boolean | undefined> {
  const active = schedule.recurrence.kind === 'recurring' && !schedule.paused;
  if (!active) {
    if (watch.scheduleActiveSince || watch.stalledAt) await deps.watches.update(watch, { scheduleActiveSince: undefined, stalledAt: undefined });
    return undefined;
  }
  const activeSince = watch.scheduleActiveSince ?? deps.now().toISOString();
  if (!watch.scheduleActiveSince) await deps.watches.update(watch, { scheduleActiveSince: activeSince });
  const stalled = isStalled({
    schedule, executions, activeSince, now: deps.now(),
    minuteMs: deps.minuteMs, graceMinutes: deps.stallGraceMinutes ?? DEFAULT_STALL_GRACE_MINUTES,
  });
  return stalled === Boolean(watch.stalledAt) ? undefined : stalled;
}

function stallItem(deps: WatchCheckDeps, watch: Watch, executions: Execution[], schedule: Schedule, stalled: boolean): OutboxItem {
  const activeSince = watch.scheduleActiveSince ?? deps.now().toISOString();
  const alert: WatchAlert = {
    kind: 'stalled', projectName: watch.projectName, recurrenceText: describeRecurrence(schedule.recurrence),
    lastRunAt: new Date(lastRunAt(executions, activeSince)).toISOString(), recovered: !stalled,
  };
  return item(watch, keyOf(watch, stalled ? 'stalled' : 'recovered'), async () => {
    const result = await deps.channel.post(watch, alert, stalled ? `${watch.projectName}: schedule stalled` : `${watch.projectName}: schedule runs again`);
    if (result.status === 'sent') await deps.watches.update(watch, { stalledAt: stalled ? deps.now().toISOString() : undefined });
    return result.status === 'sent';
  });
}
