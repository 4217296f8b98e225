import { addRecurrence } from '../recurrence/nextRunTimes';
import type { Execution, Schedule } from '../integration/port';
import { endOf, outcomeOf, type RunSighting, type RunSightings } from './watchDecision';
import { scheduleAsOf } from './scheduleAsOf';
import type { Watch, WatchKey } from './watchStore';

/** Settings of the poll plan. */
export interface PollPlanOptions {
  pollMs: number;
  /** Every project is looked at at least this often (in polls), a share of them at each poll (default 10)... */
  sweepEveryPolls?: number;
  /** ...but a poll's sweep looks at no more projects than this (default unbounded), so many projects are swept more slowly. */
  sweepMaxPerPoll?: number;
  /** A known schedule is read again this often (in polls); default never (the bot's own changes mark it stale). */
  scheduleEveryPolls?: number;
}

interface ProjectState {
  /** When the project was last looked at (ms): the sweep goes to those looked at longest ago, in the order they were. */
  checkedAt: number;
  schedule?: { value: Schedule; poll: number };
  stale: boolean;
  /** When the run we wait for should start (ms), and when we stop waiting for it. */
  expectedAt?: number;
  giveUpAt?: number;
  /** The shortest recent run, submission to end: how soon after its start a run can have ended. */
  usualMs?: number;
  /** A run was queued or running at the last look. */
  active: boolean;
  /** An alert of the project did not go out: look again at the next poll, which finds it again. */
  undelivered?: boolean;
  /** Looks in a row that could not read the project, and when to look again (ms): a failing project is backed off. */
  failures?: number;
  retryAt?: number;
  /** The latest end of a finished run that any look at the project saw (ms). */
  lastEnd?: number;
}

/** What the looks saw of a run: the last look that saw it in progress, the first that saw it finished without an end time. */
type Sighted = Partial<RunSighting>;

/**
 * How many finished runs without an end time are remembered per project, the newest: those an alert may still have to
 * tell (one that could not go out, a digest's). An older one is told, if ever, as ended by the look that tells it.
 */
const ENDS_KEPT = 10;

/** A failing project is looked at again after 1, 2, 4… polls, at most this many. */
const MAX_BACKOFF_POLLS = 8;

/** How long before its usual end a run is first looked at: a run a little shorter than any before is still seen in time. */
const EARLY_MS = 5000;
const keyOf = (w: WatchKey) => `${w.conversationId}|${w.projectName}`;
const time = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** A stable, spread order of projects among those looked at equally long ago. */
function hashOf(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * What is due at each poll, and what the watcher knows to decide it: a project is looked at when
 * its next run (projected from its schedule, or from its history until the schedule is read) can
 * have ended, then at every poll until that run is seen finished; while a run is seen going, or
 * one started from chat waits for its card; and, to catch runs started elsewhere and schedules
 * changed in the portal, in a sweep: at each poll, the projects looked at longest ago, a share
 * that covers every project once every `sweepEveryPolls`, but no more than `sweepMaxPerPoll`.
 * Schedules are read lazily: a share of the unknown ones per poll, or when an alert needs one.
 */
export class PollPlan {
  private readonly projects = new Map<string, ProjectState>();
  private readonly starting = new Map<string, number>();
  /**
   * Per watch, the latest run end (ms) its looks saw, or were picked to see. The project's state is shared by its
   * watches: a run listed only after one watch's look of a poll and seen ended by another's moves the project on, and
   * the first watch is then looked at again at the next poll (once: a run the service stops listing keeps none due).
   */
  private readonly seenEnd = new Map<string, number>();
  /** Watches with a run started from chat whose card still shows "running". */
  readonly pending = new Set<string>();
  /** Per project, what its looks saw of its runs in progress and of its newest finished runs without an end time, while the service lists them. */
  private readonly sighted = new Map<string, Map<string, Sighted>>();
  private poll = 0;
  private scheduleReads = 0;
  private sweepCredit = 0;

  constructor(private readonly options: PollPlanOptions) {}

  /** How many projects a poll's sweep looks at on average: every one per `sweepEveryPolls`, at most `sweepMaxPerPoll`. */
  sweepRate(watches: number): number {
    return Math.min(watches / Math.max(1, this.options.sweepEveryPolls ?? 10), Math.max(1, this.options.sweepMaxPerPoll ?? Infinity));
  }

  /** Starts a poll: the watches to look at now (all of them for `everything`). */
  due(watches: readonly Watch[], now: Date, everything = false): Watch[] {
    this.poll++;
    const rate = this.sweepRate(watches.length);
    this.scheduleReads = Math.ceil(rate);
    // A fractional rate carries over, so 5 projects swept every 10 polls cost one look every other poll.
    this.sweepCredit += rate;
    const size = Math.floor(this.sweepCredit);
    this.sweepCredit -= size;
    const due: Watch[] = [];
    const rest: Watch[] = [];
    for (const w of watches) {
      if (w.pendingRuns?.length) this.pending.add(keyOf(w));
      (everything || this.isDue(w, now.getTime()) ? due : rest).push(w);
    }
    due.push(...this.sweep(rest, size));
    // A watch picked now is given what its project's looks saw so far: a look that misses it is not made again and again.
    for (const w of due) {
      const lastEnd = this.projects.get(w.projectName)?.lastEnd;
      if (lastEnd !== undefined) this.seenEnd.set(keyOf(w), lastEnd);
    }
    // The runs that should have ended first are looked at first, so their alerts queue first at the tenant's send limit.
    const endOf = (w: Watch) => { const p = this.projects.get(w.projectName); return p?.expectedAt === undefined ? 0 : this.endOf(p); };
    return due.sort((a, b) => endOf(a) - endOf(b));
  }

  /** When the awaited run can have ended: its start plus the shortest recent run. */
  private endOf(p: ProjectState): number {
    return (p.expectedAt ?? 0) + (p.usualMs ?? 0);
  }

  private isDue(w: Watch, now: number): boolean {
    const p = this.projects.get(w.projectName);
    if (p?.retryAt !== undefined) return now >= p.retryAt;
    if (!p || p.active || p.stale || p.undelivered || w.pendingRuns?.length) return true;
    if (p.lastEnd !== undefined && (this.seenEnd.get(keyOf(w)) ?? -Infinity) < p.lastEnd) return true;
    return p.expectedAt !== undefined && now >= this.endOf(p) - EARLY_MS;
  }

  /** The `size` watches whose projects were looked at longest ago: each is reached within watches / size polls. */
  private sweep(rest: readonly Watch[], size: number): Watch[] {
    const order = rest.filter((w) => this.projects.get(w.projectName)?.retryAt === undefined).map((w) => ({ w, checkedAt: this.projects.get(w.projectName)?.checkedAt ?? 0, hash: hashOf(keyOf(w)) }));
    order.sort((a, b) => a.checkedAt - b.checkedAt || a.hash - b.hash);
    return order.slice(0, size).map((o) => o.w);
  }

  /** The schedule as known, carried forward to now; undefined when unknown or to be read again. */
  schedule(projectName: string, now: Date): Schedule | undefined {
    const p = this.projects.get(projectName);
    if (!p?.schedule || p.stale) return undefined;
    return scheduleAsOf(p.schedule.value, now);
  }

  /** Whether to read the project's schedule at this look: stale, due again, or unknown (within this poll's share, or an alert needs it). */
  readsSchedule(projectName: string, alerting: boolean): boolean {
    const p = this.projects.get(projectName);
    const every = this.options.scheduleEveryPolls;
    if (p?.schedule && !p.stale) return every !== undefined && this.poll - p.schedule.poll >= every;
    if (p?.stale || alerting) return true;
    // A project whose history already tells when it runs next waits for its first alert to need the schedule.
    return p?.expectedAt === undefined && this.scheduleReads-- > 0;
  }

  /** A look could not read the project: it is backed off (1, 2, 4… polls). Returns how many looks in a row failed. */
  failed(projectName: string, now: Date): number {
    const p = this.stateOf(projectName);
    p.failures = (p.failures ?? 0) + 1;
    p.retryAt = now.getTime() + Math.min(2 ** (p.failures - 1), MAX_BACKOFF_POLLS) * this.options.pollMs - EARLY_MS;
    return p.failures;
  }

  /** Whether a project that could not be read waits out its back-off (no look at it before `retryAt`). */
  backedOff(projectName: string, now: Date): boolean {
    const retryAt = this.projects.get(projectName)?.retryAt;
    return retryAt !== undefined && now.getTime() < retryAt;
  }

  /** An alert of the project did not go out (the connector or the store was down): look at it again at the next poll. */
  notDelivered(projectName: string): void {
    this.stateOf(projectName).undelivered = true;
  }

  /** The bot changed this project's schedule: read it at the next look, which comes at the next poll. */
  scheduleChanged(projectName: string): void {
    const p = this.projects.get(projectName);
    if (p) Object.assign(p, { stale: true, expectedAt: undefined, giveUpAt: undefined });
  }

  /** Remembers a schedule just read and projects the run to wait for. */
  learnSchedule(projectName: string, schedule: Schedule, executions: readonly Execution[], now: Date): void {
    const p = this.stateOf(projectName);
    Object.assign(p, { schedule: { value: schedule, poll: this.poll }, stale: false, expectedAt: undefined, giveUpAt: undefined });
    this.project(p, executions, now.getTime());
  }

  /** What a watch's look at its project saw: whether a run is going, how long runs take, whether the awaited run came. */
  saw(watch: WatchKey, executions: readonly Execution[], now: Date): void {
    const p = this.stateOf(watch.projectName);
    p.checkedAt = now.getTime();
    const seen = this.sighted.get(watch.projectName);
    const ended = Math.max(-Infinity, ...executions.filter((e) => outcomeOf(e.status)).map((e) => time(endOf(e, seen?.get(e.id)))).filter(Number.isFinite));
    if (ended > -Infinity) {
      p.lastEnd = Math.max(p.lastEnd ?? ended, ended);
      this.seenEnd.set(keyOf(watch), Math.max(this.seenEnd.get(keyOf(watch)) ?? ended, ended));
    }
    Object.assign(p, { undelivered: false, failures: 0, retryAt: undefined });
    p.active = executions.some((e) => outcomeOf(e.status) === undefined);
    // Only runs with an end time tell how long runs take (one seen ended at a look would make them look longer).
    const durations = executions.slice(0, 5).filter((e) => outcomeOf(e.status) && e.endedAt).map((e) => time(e.endedAt) - time(e.submittedAt)).filter((d) => d >= 0);
    if (durations.length > 0) p.usualMs = Math.min(...durations);
    if (p.expectedAt !== undefined && lastSubmitted(executions) >= p.expectedAt - this.options.pollMs && !p.active) p.expectedAt = undefined;
    else if (p.giveUpAt !== undefined && now.getTime() > p.giveUpAt && !p.active) Object.assign(p, { stale: true, expectedAt: undefined, giveUpAt: undefined });
    if (p.expectedAt === undefined && !p.stale) this.project(p, executions, now.getTime());
  }

  /**
   * What this look and the earlier ones (every look, "Run now" follow-ups too) saw of the project's runs, for the finished
   * ones listed without an end time: when each had ended by (the first look that saw it finished, or this one) and the
   * last look that saw it in progress. That first sighting is kept while the service lists the run (the newest
   * ENDS_KEPT of them), so a later look neither tells it as ended later nor takes it for a run that just ended.
   */
  sightings(projectName: string, executions: readonly Execution[], now: Date): RunSightings {
    const at = now.toISOString();
    const seen = this.sighted.get(projectName) ?? new Map<string, Sighted>();
    const listed = new Set(executions.map((e) => e.id));
    for (const id of seen.keys()) if (!listed.has(id)) seen.delete(id);
    const out = new Map<string, RunSighting>();
    let kept = 0;
    for (const e of [...executions].sort((a, b) => time(b.submittedAt) - time(a.submittedAt))) {
      const s = seen.get(e.id);
      if (!outcomeOf(e.status)) seen.set(e.id, { goingAt: at });
      else if (e.endedAt) seen.delete(e.id);
      else {
        const sighting: RunSighting = { endedBy: s?.endedBy ?? at, ...(s?.goingAt && { goingAt: s.goingAt }) };
        out.set(e.id, sighting);
        if (++kept <= ENDS_KEPT) seen.set(e.id, sighting);
        else seen.delete(e.id);
      }
    }
    if (seen.size > 0) this.sighted.set(projectName, seen);
    else this.sighted.delete(projectName);
    return out;
  }

  private project(p: ProjectState, executions: readonly Execution[], now: number): void {
    const after = lastSubmitted(executions);
    const s = p.schedule?.value;
    let next: number | undefined;
    if (s) {
      if (s.recurrence.kind !== 'recurring' || s.paused || !s.nextRunAt) return;
      const recurrence = s.recurrence;
      let at = new Date(s.nextRunAt);
      for (let i = 0; at.getTime() <= after && i < 100_000; i++) at = addRecurrence(at, recurrence);
      // A run that started between the look at the runs and the answer with the schedule is still the one to wait for.
      const previous = addRecurrence(at, recurrence, -1);
      next = previous.getTime() > after && previous.getTime() >= now - this.options.pollMs ? previous.getTime() : at.getTime();
    } else {
      // Until the schedule is read: the history's own rhythm (the last two submissions).
      const [last, previous] = executions.map((e) => time(e.submittedAt)).filter(Number.isFinite).sort((a, b) => b - a);
      if (previous === undefined || last <= previous) return;
      next = last + (last - previous);
    }
    p.expectedAt = next;
    p.giveUpAt = next + 3 * (p.usualMs ?? 0) + 2 * this.options.pollMs;
  }

  private stateOf(projectName: string): ProjectState {
    let p = this.projects.get(projectName);
    if (!p) this.projects.set(projectName, (p = { checkedAt: 0, stale: false, active: false }));
    return p;
  }

  /** A run is being started from chat for this watch: its alerts wait until `done`, so a fast run still lands on its card. */
  startRun(key: WatchKey): { done(): void } {
    const k = keyOf(key);
    this.starting.set(k, (this.starting.get(k) ?? 0) + 1);
    return {
      done: () => {
        const left = (this.starting.get(k) ?? 1) - 1;
        if (left > 0) this.starting.set(k, left);
        else this.starting.delete(k);
        this.pending.add(k);
      },
    };
  }

  /** True while a run is being started from chat for the watch. */
  held(key: WatchKey): boolean {
    return this.starting.has(keyOf(key));
  }
}

function lastSubmitted(executions: readonly Execution[]): number {
  return Math.max(-Infinity, ...executions.map((e) => time(e.submittedAt)).filter(Number.isFinite));
}
