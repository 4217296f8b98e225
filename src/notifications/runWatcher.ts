import { bulkhead } from 'cockatiel';
import type { DataIntegration, Execution, Schedule } from '../integration/port';
import { needsSignIn } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import { AlertOutbox, OutboxItem } from './alertOutbox';
import { withRecordNames } from './recordNames';
import { CARD_ERROR_COUNT } from './runAlert';
import { scheduleAsOf } from './scheduleProjection';
import type { DeliveryResult, ProactiveSender } from './proactiveSender';
import type { AlertPresenter, WatchAlert } from './watchAlert';
import { AlertChannel, alertsFor, signInNeededItem, WatchCheckDeps } from './watchCheck';
import type { Watch, WatchKey, WatchStore } from './watchStore';
import { observeOutbox, tracedAlertChannel, tracePoll } from '../telemetry/watcherTelemetry';

/** Gives the client to read a watch's project with (its owner's sign-in, or the app's); undefined when there is none. */
export type IntegrationForWatch = (watch: Watch) => Promise<DataIntegration | undefined>;

/** Settings of the run watcher. */
export interface RunWatcherOptions {
  /** Polls start this often, start to start. */
  pollMs: number;
  /** Real ms per schedule minute (60,000; the sandbox runs faster in tests). */
  minuteMs?: number;
  stallGraceMinutes?: number;
  /** More new runs than this at once become one digest card. */
  digestAbove?: number;
  /** Service calls in flight at most, across all watches (default 16). */
  maxInFlight?: number;
  /**
   * A project's schedule is read when first seen, at the next poll after the bot changed it, and
   * before a stall alert; otherwise every this many polls (default: never, so a poll costs one
   * call per project; the next run is carried forward from the recurrence).
   */
  scheduleEveryPolls?: number;
  /** How often a run started from chat is looked at until its card shows the result (default 2 s). */
  pendingPollMs?: number;
}

/** What the run watcher needs. */
export interface RunWatcherDeps {
  watches: WatchStore;
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  integrationFor: IntegrationForWatch;
  /** Turns an alert into the message's attachment (the card renderer). */
  present: AlertPresenter;
  now?: () => Date;
  logger?: Logger;
  /** False the moment this instance may no longer send alerts (it lost the leader lease): nothing more goes out. */
  mayAct?: () => boolean;
  /** Told after every poll's checks (operators' metrics, benchmarks). */
  onPoll?: (summary: PollSummary) => void;
}

/** What one poll did: watches checked, alerts it queued and, for pollOnce, how many of those were delivered; how long its checks took. */
export interface PollSummary { watches: number; alerts: number; queued: number; failures: number; durationMs: number }

const keyOf = (w: WatchKey) => `${w.conversationId}|${w.projectName}`;

/** Watches in an order fair to every conversation: one of each in turn, so a big channel does not starve the rest. */
function interleaved(watches: readonly Watch[]): Watch[] {
  const lanes = new Map<string, Watch[]>();
  for (const w of watches) {
    const lane = lanes.get(w.conversationId);
    if (lane) lane.push(w);
    else lanes.set(w.conversationId, [w]);
  }
  const out: Watch[] = [];
  let open = [...lanes.values()];
  for (let round = 0; open.length > 0; round++) {
    open = open.filter((lane) => lane.length > round); // exhausted lanes drop out: linear in the number of watches
    for (const lane of open) out.push(lane[round]);
  }
  return out;
}

/**
 * Polls the run history of watched projects and tells each conversation once per finished run:
 * an alert in the project's thread, or the "running" card of a run started from chat updated in
 * place. One service call per project per poll (the schedule is read on a slower cadence), at
 * most `maxInFlight` at once; alerts go to an outbox drained at Teams' limits, so sends never hold
 * the next poll. What was reported is recorded, so a restart repeats nothing and catches up.
 */
export class RunWatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private polling?: Promise<PollSummary>;
  private polls = 0;
  private readonly now: () => Date;
  private readonly outbox = new AlertOutbox();
  private readonly schedules = new Map<string, { schedule: Schedule; poll: number }>();
  private readonly staleSchedules = new Set<string>();
  private readonly threads = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly startingRuns = new Map<string, number>();
  private following = false;
  /** One bound on service calls in flight for everything the watcher reads (polls and followed runs). */
  private readonly limiter;
  private readonly check: WatchCheckDeps;

  constructor(private readonly deps: RunWatcherDeps, private readonly options: RunWatcherOptions) {
    this.now = deps.now ?? (() => new Date());
    this.limiter = bulkhead(options.maxInFlight ?? 16, Number.MAX_SAFE_INTEGER);
    observeOutbox(() => this.outbox.size);
    this.check = {
      watches: deps.watches, channel: this.channel(), now: this.now, queued: (key) => this.outbox.has(key), held: (w) => this.startingRuns.has(keyOf(w)),
      minuteMs: options.minuteMs ?? 60_000, stallGraceMinutes: options.stallGraceMinutes, digestAbove: options.digestAbove ?? 3,
    };
  }

  /**
   * Polls every watch every `pollMs` (start to start; a poll still running is not started twice),
   * the first time at once. Only the instance holding the lead does this.
   */
  start(): void {
    if (this.timers.has('poll')) return;
    this.tick('poll', this.options.pollMs, () => this.polling ?? this.startPoll(false))();
  }

  /**
   * Follows the runs started from chat on this instance until their cards show the result. Every
   * instance does this for its own runs; the lead's polls catch any whose instance went away.
   */
  follow(): void {
    if (!this.timers.has('pending')) this.tick('pending', this.options.pendingPollMs ?? 2000, () => this.checkPending());
  }

  /** Stops polling and following, waits for a poll in progress and the alerts it queued, so their bookkeeping is saved. */
  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.timers.clear();
    await this.polling;
    await this.outbox.idle();
  }

  private tick(name: string, every: number, work: () => Promise<unknown>): () => void {
    const run = () => { if (this.timers.has(name)) void work().catch((err: unknown) => this.deps.logger?.error({ err }, 'run watcher poll failed')); };
    this.timers.set(name, setInterval(run, every));
    return run;
  }

  /** One pass over every active watch, waiting until the alerts it queued were sent (tests and tools). */
  pollOnce(): Promise<PollSummary> {
    return this.polling ?? this.startPoll(true);
  }

  /** The bot changed this project's schedule (approved, paused, resumed): read it again at the next poll. */
  scheduleChanged(projectName: string): void {
    this.staleSchedules.add(projectName);
  }

  /**
   * A run is being started from chat for this watch: until `done` is called (the run and its card
   * are registered), its finished runs are not alerted, so a very fast run still lands on its card.
   */
  starting(key: WatchKey): { done(): void } {
    const k = keyOf(key);
    this.startingRuns.set(k, (this.startingRuns.get(k) ?? 0) + 1);
    return {
      done: () => {
        const left = (this.startingRuns.get(k) ?? 1) - 1;
        if (left > 0) this.startingRuns.set(k, left);
        else this.startingRuns.delete(k);
        this.pending.add(k);
      },
    };
  }

  /** Resolves once every queued alert has been tried. */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  private startPoll(waitForSends: boolean): Promise<PollSummary> {
    this.polling = tracePoll(() => this.poll(waitForSends)).finally(() => { this.polling = undefined; });
    return this.polling;
  }

  private async poll(waitForSends: boolean): Promise<PollSummary> {
    const poll = ++this.polls;
    const started = Date.now();
    const summary: PollSummary = { watches: 0, alerts: 0, queued: 0, failures: 0, durationMs: 0 };
    const clients = new Map<string, Promise<DataIntegration | undefined>>();
    const deliveries: Array<Promise<boolean>> = [];
    const watches = interleaved(await this.deps.watches.active());
    // A bounded pool of workers rather than one promise per watch: no long synchronous burst at 10,000 watches.
    let next = 0;
    const checkOne = async (watch: Watch) => {
      summary.watches++;
      if (watch.pendingRuns?.length) this.pending.add(keyOf(watch));
      try {
        const items = await this.itemsFor(watch, poll, clients);
        for (const item of items) {
          const delivered = this.outbox.enqueue(item);
          if (delivered) { summary.queued++; deliveries.push(delivered); }
        }
      } catch (err) {
        summary.failures++;
        this.deps.logger?.warn({ err, projectName: watch.projectName, conversationId: watch.conversationId }, 'run watch check failed; tried again next poll');
      }
    };
    const worker = async () => { while (next < watches.length) await checkOne(watches[next++]); };
    await Promise.all(Array.from({ length: Math.min(watches.length, 4 * (this.options.maxInFlight ?? 16)) }, worker));
    await this.deps.watches.pruneReports(new Date(this.now().getTime() - 46 * 86_400_000));
    summary.durationMs = Date.now() - started;
    this.deps.onPoll?.(summary);
    if (waitForSends) summary.alerts = (await Promise.all(deliveries)).filter(Boolean).length;
    this.deps.logger?.debug({ ...summary, outbox: this.outbox.size }, 'run watcher poll done');
    return summary;
  }

  /** Only the watches with a run started from chat still showing "running". */
  private async checkPending(): Promise<void> {
    // Runs even while a poll is going: a card waiting for its result should not wait for the whole poll.
    // The same card updated twice (by both) would show the same result; the outbox keeps it to once here.
    if (this.pending.size === 0 || this.following) return;
    this.following = true;
    try {
      await this.followPending();
    } finally {
      this.following = false;
    }
  }

  private async followPending(): Promise<void> {
    const clients = new Map<string, Promise<DataIntegration | undefined>>();
    await Promise.all([...this.pending].map(async (key) => {
      const [conversationId, ...name] = key.split('|');
      const watch = await this.deps.watches.get({ conversationId, projectName: name.join('|') });
      if (!watch?.pendingRuns?.length) { this.pending.delete(key); return; }
      const items = await this.itemsFor(watch, this.polls, clients, true).catch(() => []);
      items.forEach((item) => this.outbox.enqueue(item));
    }));
  }

  /** Reads one project (one call; the schedule only when due) and decides what to send. */
  private async itemsFor(
    watch: Watch, poll: number, clients: Map<string, Promise<DataIntegration | undefined>>, pendingOnly = false,
  ): Promise<OutboxItem[]> {
    const owner = watch.owner.userId ?? watch.owner.aadObjectId;
    if (!clients.has(owner)) clients.set(owner, this.deps.integrationFor(watch).catch(() => undefined));
    const integration = await clients.get(owner);
    if (!integration) return pendingOnly ? [] : signInNeededItem(this.check, watch);
    try {
      const executions = await this.limiter.execute(() => integration.listExecutions(watch.projectName));
      const schedule = await this.scheduleOf(watch, poll, integration);
      if (watch.signInNeededAt) await this.deps.watches.update(watch, { signInNeededAt: undefined });
      const fresh = () => this.scheduleOf(watch, poll, integration, true);
      const named = (e: Execution) => this.limiter.execute(() => withRecordNames(integration, e, CARD_ERROR_COUNT, { logger: this.deps.logger }));
      return alertsFor(this.check, watch, executions, schedule, { pendingOnly, fresh, named });
    } catch (err) {
      if (needsSignIn(err)) return signInNeededItem(this.check, watch);
      throw err;
    }
  }

  private async scheduleOf(watch: Watch, poll: number, integration: DataIntegration, force = false): Promise<Schedule> {
    const cached = this.schedules.get(watch.projectName);
    const due = force || !cached || this.staleSchedules.has(watch.projectName) || poll - cached.poll >= (this.options.scheduleEveryPolls ?? Infinity);
    if (!due) return scheduleAsOf(cached.schedule, this.now());
    this.staleSchedules.delete(watch.projectName);
    const schedule = await this.limiter.execute(() => integration.getSchedule(watch.projectName));
    this.schedules.set(watch.projectName, { schedule, poll });
    return schedule;
  }

  /** Posts into the project's thread (starting it with the first message), or replaces a card; nothing once this instance lost the lead. */
  private channel(): AlertChannel {
    const refused: DeliveryResult = { status: 'failed', reason: 'no longer the instance that sends alerts' };
    const attachment = (alert: WatchAlert) => ({ type: 'message' as const, attachments: [this.deps.present(alert)] });
    return tracedAlertChannel({
      post: async (watch, alert, summary) => {
        if (this.deps.mayAct?.() === false) return refused;
        const key = keyOf(watch);
        const threadId = this.threads.get(key) ?? watch.threadActivityId;
        const result = await this.deps.sender.send(
          { conversationId: watch.conversationId, replyToId: threadId, newThread: !threadId },
          { ...attachment(alert), summary },
        );
        if (result.status === 'sent' && result.threadId && !threadId) {
          this.threads.set(key, result.threadId);
          await this.deps.watches.update(watch, { threadActivityId: result.threadId });
        }
        return result;
      },
      // A card in place may be updated by the instance that started the run, lead or not: an update twice shows once.
      replace: async (watch, activityId, alert) => {
        return this.deps.sender.update(watch.conversationId, activityId, attachment(alert));
      },
    });
  }
}
