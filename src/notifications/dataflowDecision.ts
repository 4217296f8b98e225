import { type DataflowEnvironment, type DataflowRefresh, refreshedByHand } from '../integration/port';
import { presenceOf } from './dataflowListing';
import { type DataflowBookkeeping, type DataflowWatch, RECENT_ENDS_KEPT } from './dataflowWatchStore';

const MINUTE_MS = 60_000;

/** The rules' settings. */
export interface DataflowRules {
  /** A dataflow that has not refreshed for more than this many times its usual interval may be stalled. */
  stallFactor: number;
  /** …and for more than this many times the longest gap of its kept history (a night or a weekend it already had is no stall). */
  longestGapFactor: number;
  /** Gaps between refreshes needed before a stall can be declared (a few refreshes in a row whose type does not say "by hand" are no schedule yet). */
  minIntervals: number;
  /** Each query reads back this far before the cursor: a refresh row written after the poll that passed its end time is still read. */
  overlapMs: number;
  /** The first query of an environment reads this far back (the history the usual interval is derived from). */
  firstLookbackMs: number;
}

/** The defaults: a stall after three usual intervals and one and a half longest gaps, from six gaps; ten minutes of overlap; a week of history on first read. */
export const DATAFLOW_RULES: DataflowRules = {
  stallFactor: 3, longestGapFactor: 1.5, minIntervals: 6, overlapMs: 10 * MINUTE_MS, firstLookbackMs: 7 * 24 * 60 * MINUTE_MS,
};

/** One environment's query of a poll: where to read, whose dataflows, and the watches that share the answer. */
export interface DataflowPollGroup {
  environment: DataflowEnvironment;
  dataflowIds: string[];
  watches: DataflowWatch[];
}

/** When a watch's environment was picked: a watch stored before that was kept, when the watch began. */
const pickedAt = (w: DataflowWatch) => w.environmentAt ?? w.since;

/**
 * The watches grouped by environment (one query each), read at the address picked last (an admin who changed the
 * environment's URL picks its dataflows again in one conversation); those of a conversation gone and those whose
 * dataflow was deleted are left out. A muted watch is read too: it says nothing, but keeps its history current and ends
 * when its dataflow is deleted.
 */
export function dataflowPollGroups(watches: readonly DataflowWatch[]): DataflowPollGroup[] {
  const groups = new Map<string, DataflowPollGroup & { pickedAt: string }>();
  for (const watch of watches) {
    if (watch.goneAt || watch.deletedAt) continue;
    const group = groups.get(watch.environment.name) ?? { environment: watch.environment, pickedAt: pickedAt(watch), dataflowIds: [], watches: [] };
    if (pickedAt(watch) > group.pickedAt) Object.assign(group, { environment: watch.environment, pickedAt: pickedAt(watch) });
    if (!group.dataflowIds.includes(watch.dataflowId)) group.dataflowIds.push(watch.dataflowId);
    group.watches.push(watch);
    groups.set(watch.environment.name, group);
  }
  return [...groups.values()].map(({ pickedAt: _, ...group }) => group);
}

/**
 * Where an environment's query starts: its cursor less the overlap, or the first look-back when it has none, and never
 * further back than that look-back. A cursor moves only when a watched dataflow refreshes: one that stood still for
 * months (its dataflows quiet, or none watched) would otherwise have the next query read every refresh since of the
 * dataflows watched now, which can outgrow the pages the client follows and fail every poll.
 */
export function querySince(cursor: string | undefined, now: Date, rules: DataflowRules = DATAFLOW_RULES): string {
  const firstLook = now.getTime() - rules.firstLookbackMs;
  const from = cursor === undefined ? firstLook : Math.max(Date.parse(cursor) - rules.overlapMs, firstLook);
  return new Date(from).toISOString();
}

/** The environment's cursor after a poll: the latest end time read, never earlier than the cursor it had. */
export function nextCursor(cursor: string | undefined, refreshes: readonly DataflowRefresh[]): string | undefined {
  const latest = Math.max(cursor === undefined ? -Infinity : Date.parse(cursor), ...refreshes.map((r) => Date.parse(r.endedAt)));
  return Number.isFinite(latest) ? new Date(latest).toISOString() : undefined;
}

/** The gaps between the distinct end times, shortest first. */
function gapsOf(ends: readonly string[]): number[] {
  const times = [...new Set(ends.map((e) => Date.parse(e)))].filter(Number.isFinite).sort((a, b) => a - b);
  return times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
}

/** The usual time between two refreshes: the median gap between end times, once there are `minIntervals` gaps. */
export function usualIntervalMs(ends: readonly string[], minIntervals = DATAFLOW_RULES.minIntervals): number | undefined {
  const gaps = gapsOf(ends);
  if (gaps.length < Math.max(1, minIntervals)) return undefined;
  const middle = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}

/**
 * How long a dataflow may stay quiet after its last refresh before it is stalled: more than `stallFactor` usual
 * intervals and more than `longestGapFactor` times the longest gap of `ends` (so a weekend or a night that the kept
 * history holds is never a stall); undefined until there are `minIntervals` gaps.
 */
export function quietAllowedMs(ends: readonly string[], rules: DataflowRules = DATAFLOW_RULES, longestSeenMs = 0): { usualMs: number; allowedMs: number } | undefined {
  const usualMs = usualIntervalMs(ends, rules.minIntervals);
  if (usualMs === undefined) return undefined;
  return { usualMs, allowedMs: Math.max(rules.stallFactor * usualMs, rules.longestGapFactor * Math.max(gapsOf(ends).at(-1)!, longestSeenMs)) };
}

/** How long the longest gap seen is remembered beyond the kept end times: two weeks hold every weekend. */
export const LONGEST_GAP_KEPT_MS = 14 * 24 * 60 * MINUTE_MS;

/**
 * The longest gap between two refreshes seen in the last LONGEST_GAP_KEPT_MS, with the end that closed it: a dataflow
 * that refreshes hourly on weekdays keeps fewer end times than a weekend holds, and without it every weekend stalled.
 */
export function longestGapSeen(watch: Pick<DataflowWatch, 'longestGap'>, ends: readonly string[], now: Date): DataflowWatch['longestGap'] {
  const times = ends.map((e) => Date.parse(e));
  const kept = times.slice(1).reduce<DataflowWatch['longestGap']>((most, t, i) => {
    const ms = t - times[i]!;
    return most && most.ms >= ms ? most : { ms, endedAt: new Date(t).toISOString() };
  }, undefined);
  const stored = watch.longestGap && now.getTime() - Date.parse(watch.longestGap.endedAt) <= LONGEST_GAP_KEPT_MS ? watch.longestGap : undefined;
  return stored && (!kept || stored.ms >= kept.ms) ? stored : kept;
}

/** What to tell a conversation about one dataflow; `key` is stable, so a message queued twice is sent once. */
export type DataflowAlert =
  | { kind: 'refresh'; key: string; refresh: DataflowRefresh }
  | { kind: 'stalled'; key: string; lastRefreshAt: string; usualIntervalMs: number }
  | { kind: 'resumed'; key: string; stalledAt: string; refresh: DataflowRefresh }
  /** Its environment no longer has it (dataflowListing.ts): said once, then the watch ends. */
  | { kind: 'gone'; key: string };

/** Everything the watcher should do for one dataflow watch after a poll of its environment. */
export interface DataflowDecision {
  /** Alerts, oldest first. A `refresh` alert's card needs `tableRefreshes(refresh.id)` read first (only for these). */
  alerts: DataflowAlert[];
  /** Refresh ids to record as reported: those alerted and those deliberately not (before the watch, a muted level, a success under "failures only"). */
  report: string[];
  /** Bookkeeping to write on the watch; a key present with `undefined` clears the field. */
  update: DataflowBookkeeping;
}

/** What one decision looks at: the watch, the refreshes its environment's query returned, what was reported, and the clock. */
export interface DataflowFacts {
  watch: DataflowWatch;
  /** The poll's refreshes of the whole environment (other dataflows are ignored here), in any order, repeats allowed. */
  refreshes: readonly DataflowRefresh[];
  /** Which of them were already reported for this watch (from the store). */
  reported: ReadonlySet<string>;
  /** Every dataflow id of a complete listing of the environment read this poll; undefined when none was read. */
  listed?: ReadonlySet<string>;
  now: Date;
  rules?: DataflowRules;
}

/** True when a refresh is alerted at the watch's level: every refresh, or anything but a recognised success. */
export function alertsAt(level: DataflowWatch['notifyLevel'], refresh: DataflowRefresh): boolean {
  return level === 'all' || (level === 'failures' && refresh.outcome !== 'succeeded');
}

/**
 * The decision for one watch: each refresh not yet reported is alerted or recorded as not to be; the end times of
 * those not started by hand feed the usual interval; a dataflow quiet for longer than `quietAllowedMs` allows gets one
 * "stalled" alert, and its next refresh one "resumed"; the latest refresh's name renames the watch (a dataflow renamed
 * in Power Apps); a dataflow its environment's listings no longer hold gets one "gone" alert, last (presenceOf), or,
 * muted, its watch ends silently (`deletedAt`). Pure: the watcher writes `report` and `update` and queues `alerts`.
 */
export function decideDataflowWatch(facts: DataflowFacts): DataflowDecision {
  const { watch, reported, now } = facts;
  const rules = facts.rules ?? DATAFLOW_RULES;
  const muted = watch.notifyLevel === 'mute';
  const mine = [...new Map(facts.refreshes.filter((r) => r.dataflowId === watch.dataflowId).map((r) => [r.id, r])).values()]
    .sort((a, b) => Date.parse(a.endedAt) - Date.parse(b.endedAt));
  const fresh = mine.filter((r) => !reported.has(r.id));
  const since = Date.parse(watch.since);
  const alerted = fresh.filter((r) => Date.parse(r.endedAt) > since && alertsAt(watch.notifyLevel, r));
  const alerts: DataflowAlert[] = alerted.map((refresh) => ({ kind: 'refresh', key: `refresh:${watch.dataflowId}:${refresh.id}`, refresh }));

  // Refreshes started by hand tell nothing of a schedule: 15 clicks in an afternoon would otherwise look like one.
  const scheduled = mine.filter((r) => !refreshedByHand(r.refreshType));
  const recentEnds = [...new Set([...(watch.recentEnds ?? []), ...scheduled.map((r) => new Date(r.endedAt).toISOString())])].sort().slice(-RECENT_ENDS_KEPT);
  const latest = mine.at(-1);
  const update: DataflowBookkeeping = { recentEnds };
  if (latest && (!watch.lastRefresh || Date.parse(latest.endedAt) >= Date.parse(watch.lastRefresh.endedAt))) {
    update.lastRefresh = { id: latest.id, status: latest.status, outcome: latest.outcome, endedAt: latest.endedAt };
    // Renamed in Power Apps: the latest refresh row carries the name it has now.
    if (latest.dataflowName && latest.dataflowName !== watch.dataflowName) update.dataflowName = latest.dataflowName;
  }
  const longestGap = longestGapSeen(watch, recentEnds, now);
  if (JSON.stringify(longestGap) !== JSON.stringify(watch.longestGap)) update.longestGap = longestGap;
  const presence = presenceOf(watch, facts.listed, mine, now);
  if (JSON.stringify(presence.missing) !== JSON.stringify(watch.missing)) update.missing = presence.missing;
  // A dataflow its environment no longer lists is not called stalled: it is listed again, or its watch ends with one alert.
  const lastEnd = latestOf(recentEnds.at(-1), (update.lastRefresh ?? watch.lastRefresh)?.endedAt);
  let stall: ReturnType<typeof stallOf> = presence.missing ? { stalledAt: watch.stalledAt } : stallOf(watch, recentEnds, lastEnd, fresh, now, rules, longestGap?.ms);
  // Muted, nothing is said: no stall starts (its return would be told without the stall), one that stood ends silently.
  if (muted) stall = { stalledAt: stall.alert?.kind === 'stalled' ? watch.stalledAt : stall.stalledAt };
  if (stall.alert) alerts.push(stall.alert);
  if (stall.stalledAt !== watch.stalledAt) update.stalledAt = stall.stalledAt;
  if (presence.gone) {
    // A muted watch ends without a word; any other says it once (the watch ends when that went out).
    if (muted) update.deletedAt = now.toISOString();
    else alerts.push({ kind: 'gone', key: `gone:${watch.dataflowId}:${presence.missing!.since}` });
  }
  return { alerts, report: fresh.map((r) => r.id), update };
}

/** The later of two end times (as written or kept), as kept; undefined when neither is given. */
function latestOf(...ends: Array<string | undefined>): string | undefined {
  const times = ends.map((e) => (e === undefined ? NaN : Date.parse(e))).filter(Number.isFinite);
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}

/**
 * The stall of a watch: `ends` are the scheduled end times its usual interval is learned from, `last` the latest
 * refresh of any kind (one by hand after the schedule stopped is still a refresh: "not refreshed since" counts from it).
 */
function stallOf(watch: DataflowWatch, ends: readonly string[], last: string | undefined, fresh: readonly DataflowRefresh[], now: Date, rules: DataflowRules, longestSeenMs?: number): { stalledAt?: string; alert?: DataflowAlert } {
  if (watch.stalledAt) {
    // Any refresh not seen before is the dataflow's return (reported ones were read before the stall).
    const back = fresh.at(-1);
    if (!back) return { stalledAt: watch.stalledAt };
    return { alert: { kind: 'resumed', key: `resumed:${watch.dataflowId}:${watch.stalledAt}`, stalledAt: watch.stalledAt, refresh: back } };
  }
  const quiet = quietAllowedMs(ends, rules, longestSeenMs);
  if (quiet === undefined || last === undefined || now.getTime() - Date.parse(last) <= quiet.allowedMs) return {};
  return { stalledAt: now.toISOString(), alert: { kind: 'stalled', key: `stalled:${watch.dataflowId}:${last}`, lastRefreshAt: last, usualIntervalMs: quiet.usualMs } };
}
