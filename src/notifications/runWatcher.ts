import { bulkhead, timeout, TimeoutStrategy } from 'cockatiel';
import type { DataIntegration, Execution } from '../integration/port';
import { needsSignIn } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import { AlertDelivery, AlertOutbox, applyWrites, withNamedRecords, withRecordNames } from './alertDelivery';
import { type AlertMessage, messageKey } from './alertMessage';
import { PollPlan } from './pollPlan';
import type { ProactiveSender } from './proactiveSender';
import type { AlertPresenter } from './watchAlert';
import { DataflowPoller, type DataflowPollerDeps, type DataflowPollResult } from './dataflowPoller';
import { settledWithin } from '../settledWithin';
import { LookFailures, ProjectUnreadable } from './lookFailures';
import { RunCardFollowUp } from './runCardFollowUp';
import { CARD_ERROR_COUNT, decideWatch, finishedSince, ownerOf } from './watchDecision';
import type { Watch, WatchKey, WatchStore } from './watchStore';
import { observeOutbox, tracePoll } from '../telemetry/watcherTelemetry';

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
  /** Every project is looked at at least once every this many polls, whatever its schedule says (default 10). */
  sweepEveryPolls?: number;
  /** ...but a poll's sweep looks at no more projects than this (default unbounded). */
  sweepMaxPerPoll?: number;
  /** A known schedule is read again every this many polls (default never: the bot's own changes and the sweep's misses mark it stale). */
  scheduleEveryPolls?: number;
  /** How often a run started from chat is looked at until its card shows the result (default 2 s). */
  pendingPollMs?: number;
  /** A service call of a look that has not answered after this long fails the look (default half the poll interval), so a hung project does not hold the poll. */
  lookTimeoutMs?: number;
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
  /** Whether this instance still leads (holds the lease): the moment it does not, nothing more goes out. */
  leader?: { isLeader(): boolean };
  /** Told after every poll's checks (operators' metrics, benchmarks); a dataflow poll that outlasted its poll is told alone as it ends. */
  onPoll?: (summary: PollSummary) => void;
  /** Dataflow watches, polled with the same outbox, sender, limiter and lease. */
  dataflows?: DataflowPollerDeps;
}

/**
 * What one poll did: watches checked, alerts queued (for pollOnce, delivered), how long its checks took. `dataflows`: 'running'
 * when it leaves out a dataflow poll still going (told alone as it ends), 'alone' for that dataflow poll's own summary.
 */
export interface PollSummary { watches: number; alerts: number; queued: number; failures: number; durationMs: number; dataflows?: 'running' | 'alone' }

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
 * Tells each conversation once per finished run of its watched projects. Each poll looks at the
 * projects its plan says are due (PollPlan), decides what to say for each (decideWatch, a pure
 * function) and hands the messages to an outbox drained at Teams' limits (AlertDelivery), so
 * sends never hold the next poll. What was reported is recorded, so a restart repeats nothing.
 */
export class RunWatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private polling?: Promise<PollSummary>;
  /** The dataflow poll in progress: on its own track, so a slow environment holds no project poll. */
  private dataflowPolling?: Promise<DataflowPollResult>;
  private readonly now: () => Date;
  private readonly outbox = new AlertOutbox();
  private readonly plan: PollPlan;
  private readonly delivery: AlertDelivery;
  private readonly failures: LookFailures;
  private readonly followUp: RunCardFollowUp;
  /** One bound on service calls in flight for everything the watcher reads (polls and followed runs). */
  private readonly limiter;
  private readonly dataflows?: DataflowPoller;
  /** The deadline of each service call, inside the bound: a call that hangs gives its place back at the deadline. */
  private readonly deadline;
  /** That deadline in ms: also how long a poll waits for its dataflow poll, and the dataflow poll for its slowest environments. */
  private readonly deadlineMs: number;

  constructor(private readonly deps: RunWatcherDeps, private readonly options: RunWatcherOptions) {
    this.now = deps.now ?? (() => new Date());
    this.limiter = bulkhead(options.maxInFlight ?? 16, Number.MAX_SAFE_INTEGER);
    this.deadlineMs = options.lookTimeoutMs ?? Math.max(1000, options.pollMs / 2);
    this.deadline = timeout(this.deadlineMs, TimeoutStrategy.Aggressive);
    this.plan = new PollPlan(options);
    this.delivery = new AlertDelivery(deps);
    this.failures = new LookFailures({ watches: deps.watches, plan: this.plan, now: this.now, logger: deps.logger });
    this.followUp = new RunCardFollowUp({ watches: deps.watches, plan: this.plan, now: this.now, logger: deps.logger });
    if (deps.dataflows) this.dataflows = new DataflowPoller(deps.dataflows, { ...deps, outbox: this.outbox, limiter: this.limiter, deadline: this.deadline, orderWithinMs: this.deadlineMs, now: this.now });
    observeOutbox(() => this.outbox.size);
  }

  /**
   * Polls every `pollMs` (start to start; a poll still running is not started twice), the first time at once. Only the
   * lead does this. Each poll starts a dataflow poll unless one is still running: a slow one delays no project poll.
   */
  start(): void {
    if (this.timers.has('poll')) return;
    this.tick('poll', this.options.pollMs, () => this.polling ?? this.startPoll(false, false))();
  }

  /** Follows the runs started from chat on this instance until their cards show the result (every instance; the lead's polls catch the rest). */
  follow(): void {
    if (!this.timers.has('pending')) this.tick('pending', this.options.pendingPollMs ?? 2000, () => this.followPending());
  }

  /** One pass of the follow-up: each run card's project looked at for its cards only, one client per owner a pass. */
  private followPending(): Promise<void> {
    const clients = new Map<string, Promise<DataIntegration | undefined>>();
    return this.followUp.pass(async (watch) => { this.queue(await this.check(watch, clients, true)); });
  }

  /** Stops polling and following, waits for a poll in progress (its dataflow poll too) and the alerts they queued, so their bookkeeping is saved. */
  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.timers.clear();
    await this.polling?.catch(() => undefined); // logged where it ran (a store not answering as the lease is lost)
    await this.dataflowPolling;
    this.dataflows?.leadEnded();
    await this.outbox.idle();
  }

  /** One pass over every active watch, waiting until the alerts it queued were sent (tests and tools). */
  async pollOnce(): Promise<PollSummary> {
    // A poll under way (the lead's first, when the lease came late) reads only the due watches and does not wait for
    // its sends: it is waited out, and a whole one made.
    while (this.polling || this.dataflowPolling) await (this.polling ?? this.dataflowPolling)!.catch(() => undefined);
    return this.startPoll(true, true);
  }

  /** The bot changed this project's schedule (approved, paused, resumed): read it again at the next poll. */
  scheduleChanged(projectName: string): void {
    this.plan.scheduleChanged(projectName);
  }

  /** A run is being started from chat: until `done` (its card registered), its finished runs are not alerted, so a fast run still lands on its card. */
  starting(key: WatchKey): { done(): void } {
    return this.plan.startRun(key);
  }

  /** Resolves once every queued alert has been tried. */
  idle(): Promise<void> {
    return this.outbox.idle();
  }

  private tick(name: string, every: number, work: () => Promise<unknown>): () => void {
    const run = () => { if (this.timers.has(name)) void work().catch((err: unknown) => this.deps.logger?.error({ err }, 'run watcher poll failed')); };
    this.timers.set(name, setInterval(run, every));
    return run;
  }

  private startPoll(everything: boolean, waitForSends: boolean): Promise<PollSummary> {
    this.polling = tracePoll(() => this.poll(everything, waitForSends)).finally(() => { this.polling = undefined; });
    return this.polling;
  }

  /** One poll: the due watches (or all), each read, decided and its messages queued. */
  async poll(everything: boolean, waitForSends: boolean): Promise<PollSummary> {
    const started = Date.now();
    const summary: PollSummary = { watches: 0, alerts: 0, queued: 0, failures: 0, durationMs: 0 };
    const clients = new Map<string, Promise<DataIntegration | undefined>>();
    const deliveries: Array<Promise<boolean>> = [];
    this.outbox.pollStarted();
    const dataflows = this.startDataflowPoll();
    const due = this.plan.due(interleaved(await this.deps.watches.active()), this.now(), everything);
    summary.watches = due.length;
    // A bounded pool of workers rather than one promise per watch: no long synchronous burst at 10,000 watches.
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const watch = due[next++];
        try {
          for (const delivered of this.queue(await this.check(watch, clients, false))) { summary.queued++; deliveries.push(delivered); }
        } catch (err) {
          summary.failures++;
          for (const d of this.queue(this.failures.lookFailed(watch, err))) { summary.queued++; deliveries.push(d); }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(due.length, 4 * (this.options.maxInFlight ?? 16)) }, worker));
    // The dataflow poll counts in this poll's summary when it ends within the deadline of a call (as it does but for a
    // slow Dataverse); pollOnce waits for it, whatever it takes.
    const d = dataflows && (waitForSends ? { value: await dataflows.poll } : await settledWithin(dataflows.poll, started + this.deadlineMs - Date.now()));
    if (d) {
      summary.watches += d.value.watches; summary.queued += d.value.queued; summary.failures += d.value.failures; deliveries.push(...d.value.deliveries);
    } else if (this.dataflows) {
      summary.dataflows = 'running';
      if (dataflows) void dataflows.poll.then((late) => this.dataflowPollAlone(late, dataflows.started));
    }
    // Housekeeping: a store that fails here (an outage cutting the poll) has the old reports pruned at a later poll.
    await this.deps.watches.pruneReports(new Date(this.now().getTime() - 46 * 86_400_000))
      .catch((err: unknown) => this.deps.logger?.warn({ err }, 'old run reports not pruned; tried again next poll'));
    summary.durationMs = Date.now() - started;
    this.deps.onPoll?.(summary);
    if (waitForSends) summary.alerts = (await Promise.all(deliveries)).filter(Boolean).length;
    this.deps.logger?.debug({ ...summary, outbox: this.outbox.size }, 'run watcher poll done');
    return summary;
  }

  /** Starts a dataflow poll unless one is still running; it never fails (a failure is logged and counted). */
  private startDataflowPoll(): { poll: Promise<DataflowPollResult>; started: number } | undefined {
    if (!this.dataflows || this.dataflowPolling) return undefined;
    const poll = this.dataflows.poll().catch((err: unknown): DataflowPollResult => {
      this.deps.logger?.warn({ err }, 'dataflow poll failed; tried again next poll');
      return { watches: 0, queued: 0, failures: 1, deliveries: [] };
    }).finally(() => { this.dataflowPolling = undefined; });
    this.dataflowPolling = poll;
    return { poll, started: Date.now() };
  }

  /** A dataflow poll that outlasted its poll (an environment's Dataverse slow): its own summary, told as it ends. */
  private dataflowPollAlone(d: DataflowPollResult, started: number): void {
    const summary: PollSummary = { watches: d.watches, alerts: 0, queued: d.queued, failures: d.failures, durationMs: Date.now() - started, dataflows: 'alone' };
    this.deps.onPoll?.(summary);
    this.deps.logger?.info({ ...summary, outbox: this.outbox.size }, 'dataflow poll done after its poll (an environment read slowly)');
  }

  /** Queues the messages; one that does not go out makes its project due at the next poll, which finds it again. */
  private queue(messages: AlertMessage[]): Array<Promise<boolean>> {
    return messages.flatMap((m) => {
      const covers = m.alert.kind === 'digest' ? m.alert.alerts.map((a) => messageKey(m.watch, a.executionId)) : [];
      const sent = this.outbox.enqueue({ key: m.key, covers, conversationId: m.watch.conversationId, deliver: () => this.delivery.deliver(m) });
      return sent ? [sent.then((ok) => { if (!ok) this.plan.notDelivered(m.watch.projectName); return ok; })] : [];
    });
  }

  /**
   * Reads one project (its runs; its schedule only when needed), decides, writes the decision's records and returns its
   * messages. A look that only updates "Run now" cards (the follow-up, or a run being started) tells the plan nothing:
   * the project's awaited run, seen there, is still due for every watch of the project at the next poll.
   */
  private async check(watch: Watch, clients: Map<string, Promise<DataIntegration | undefined>>, followUp: boolean): Promise<AlertMessage[]> {
    const cardsOnly = followUp || this.plan.held(watch);
    const owner = ownerOf(watch);
    if (!clients.has(owner)) clients.set(owner, this.deps.integrationFor(watch).catch(() => undefined));
    const integration = await clients.get(owner);
    if (!integration) return followUp ? [] : this.failures.noSignIn(watch);
    try {
      const executions = await this.read(() => integration.listExecutions(watch.projectName));
      const sightings = this.plan.sightings(watch.projectName, executions, this.now());
      if (!cardsOnly) this.plan.saw(watch, executions, this.now());
      const ids = finishedSince(watch, executions, sightings).map((x) => x.e.id);
      const reported = ids.length > 0 ? await this.deps.watches.reported(watch, ids) : new Set<string>();
      const readSchedule = () => this.read(() => integration.getSchedule(watch.projectName)).then((s) => { this.plan.learnSchedule(watch.projectName, s, executions, this.now()); return s; });
      let schedule = this.plan.schedule(watch.projectName, this.now());
      const alerting = ids.some((id) => !reported.has(id));
      const fresh = !cardsOnly && !schedule && this.plan.readsSchedule(watch.projectName, alerting);
      if (fresh) schedule = await readSchedule();
      const facts = { watch, executions, schedule, scheduleFresh: fresh, reported, sightings, queued: this.outbox.keys, cardsOnly, now: this.now(), rules: this.rules() };
      let decision = decideWatch(facts);
      if (decision.confirmSchedule) decision = decideWatch({ ...facts, schedule: await readSchedule(), scheduleFresh: true });
      await applyWrites(this.deps.watches, watch, decision.records);
      const name = (e: Execution) => this.limiter.execute(() => withRecordNames(integration, e, CARD_ERROR_COUNT, { logger: this.deps.logger }));
      // A digest lists no records, so only runs alerted one by one (and run cards) have their records named.
      return await Promise.all(decision.messages.map((m) => withNamedRecords(m, name)));
    } catch (err) {
      if (needsSignIn(err)) return this.failures.noSignIn(watch);
      throw err;
    }
  }

  /** One service call of a look: within the bound on calls in flight, and its deadline. */
  private read<T>(call: () => Promise<T>): Promise<T> {
    return this.limiter.execute(() => this.deadline.execute(call)).catch((err: unknown) => {
      throw needsSignIn(err) ? err : new ProjectUnreadable(err);
    });
  }

  private rules() {
    return { minuteMs: this.options.minuteMs ?? 60_000, stallGraceMinutes: this.options.stallGraceMinutes, digestAbove: this.options.digestAbove ?? 3 };
  }
}
