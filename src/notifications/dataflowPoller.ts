import { setImmediate } from 'node:timers/promises';
import type { DataIntegration, DataflowEnvironment, DataflowRefresh } from '../integration/port';
import { dataflowsUnreadable, refusesTheBot } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import { settledWithin } from '../settledWithin';
import type { AlertOutbox, DeliveryOutcome } from './alertDelivery';
import { aboutWatch, type DataflowMessage, type DataflowPresenter, dataflowUnreadable } from './dataflowAlert';
import { dataflowPollGroups, decideDataflowWatch, type DataflowPollGroup, nextCursor, querySince } from './dataflowDecision';
import { DataflowDelivery } from './dataflowDelivery';
import { DATAFLOW_LISTING } from './dataflowListing';
import { DELETED_WATCH_KEPT_MS, type DataflowWatch, type DataflowWatchStore } from './dataflowWatchStore';
import { UNREADABLE_AFTER_LOOKS } from './lookFailures';
import type { ProactiveSender } from './proactiveSender';

/** What the poller reads of Dataverse's dataflow tables; the root gives the bot's own client (no person's sign-in needed). */
export type DataflowReads = Pick<DataIntegration, 'refreshesEndedSince' | 'tableRefreshes' | 'listedDataflowIds'>;

/** What the dataflow poller needs of its own. */
export interface DataflowPollerDeps {
  store: DataflowWatchStore;
  present: DataflowPresenter;
  reads: DataflowReads;
}

/** What it shares with the run watcher: one outbox, one sender (Teams' limits), one bound on calls in flight, one lease. */
export interface DataflowPollShared {
  outbox: AlertOutbox;
  limiter: { execute<T>(fn: () => Promise<T>): Promise<T> };
  /** The deadline of one service call (the watcher's, inside the bound): a call that hangs fails and gives its place back. */
  deadline?: { execute<T>(fn: () => Promise<T>): Promise<T> };
  /**
   * How long the poll's messages wait for the other environments' reads, to go out oldest first across them (the
   * watcher's deadline of a call). An environment read later (its Dataverse throttling, or a first read of a week of
   * refreshes) has its messages queued as soon as it is read, so it holds no other environment's alerts.
   */
  orderWithinMs: number;
  sender: Pick<ProactiveSender, 'send'>;
  leader?: { isLeader(): boolean };
  now: () => Date;
  logger?: Logger;
}

/** What one dataflow poll did; `deliveries` settle once its alerts were tried. */
export interface DataflowPollResult { watches: number; queued: number; failures: number; deliveries: Array<Promise<boolean>> }

/**
 * A poll's result while it runs: its messages wait here until every environment was read (or `orderWithinMs` passed),
 * then go out oldest first; once `late`, an environment's messages go out as soon as it is read.
 */
interface PollRun extends DataflowPollResult {
  waiting: Array<{ message: DataflowMessage; at: number; settle(outcome: Promise<DeliveryOutcome>): void }>;
  late: boolean;
}

/** Report records are kept this long (beyond any query's look-back). */
const REPORTS_KEPT_MS = 46 * 86_400_000;
/** Watches ended with their dataflow deleted are looked for, to be removed once kept long enough, this often. */
const DELETED_PRUNE_EVERY_MS = 60 * 60_000;
/**
 * An environment whose refreshes could not be read at this many polls in a row (as a project's looks: lookFailures.ts),
 * and for this long since the first of them, is told to its conversations: a blip (Dataverse restarting, a few minutes
 * of 503s) never is. Throttling the client waited out is no failed poll: only a read that failed in the end counts.
 */
export const DATAFLOW_UNREADABLE = { afterPolls: UNREADABLE_AFTER_LOOKS, afterMs: 15 * 60_000 };

/**
 * Each poll: per environment, one query of the refreshes that ended since its cursor, with the bot's own identity; each
 * watch decided (decideDataflowWatch), per-table rows read only for refreshes alerted, messages queued in the shared
 * outbox. The cursor moves only past refreshes whose alerts went out, and "reported" records keep a re-read silent.
 */
export class DataflowPoller {
  private readonly delivery: DataflowDelivery;
  /** When each environment was last listed whole (this process: a restart lists at its first poll). */
  private readonly listedAt = new Map<string, number>();
  /** When the watches ended with their dataflow deleted were last pruned (this process). */
  private deletedPrunedAt = -Infinity;
  /** Environments whose latest polls failed to read them: since when, and how many in a row (this process: a new lead counts again). */
  private readonly failing = new Map<string, { since: number; polls: number }>();

  constructor(private readonly deps: DataflowPollerDeps, private readonly shared: DataflowPollShared) {
    this.delivery = new DataflowDelivery({ store: deps.store, sender: shared.sender, present: deps.present, leader: shared.leader });
  }

  /** One pass over every active dataflow watch. */
  async poll(): Promise<DataflowPollResult> {
    const result: PollRun = { watches: 0, queued: 0, failures: 0, deliveries: [], waiting: [], late: false };
    void this.delivery.prepare();
    try {
      const watches = await this.deps.store.active();
      result.watches = watches.length;
      const read = Promise.all(dataflowPollGroups(watches).map((group) => this.pollEnvironment(group, result).catch((err: unknown) => {
        result.failures++;
        const failedPolls = this.failing.get(group.environment.name)?.polls;
        this.shared.logger?.warn({ err, environment: group.environment.name, failedPolls }, 'dataflow refreshes not read; tried again next poll');
      }).finally(() => { if (result.late) this.flush(result); })));
      if (!(await settledWithin(read, this.shared.orderWithinMs))) {
        // An environment still reading (a slow Dataverse waiting out Retry-After page after page) holds no other's alerts.
        this.flush(result);
        result.late = true;
        await read;
      }
    } catch (err) {
      result.failures++;
      this.shared.logger?.warn({ err }, 'dataflow poll failed; tried again next poll');
    }
    this.flush(result);
    // Housekeeping after the alerts are queued: it delays none of them.
    const now = this.shared.now().getTime();
    await this.deps.store.pruneReports(new Date(now - REPORTS_KEPT_MS))
      .catch((err: unknown) => this.shared.logger?.warn({ err }, 'old dataflow reports not pruned; tried again next poll'));
    if (now - this.deletedPrunedAt >= DELETED_PRUNE_EVERY_MS) {
      this.deletedPrunedAt = now;
      await this.deps.store.pruneDeleted(new Date(now - DELETED_WATCH_KEPT_MS))
        .catch((err: unknown) => this.shared.logger?.warn({ err }, 'ended watches of deleted dataflows not pruned; tried again in an hour'));
    }
    const { waiting, late, ...summary } = result;
    return summary;
  }

  /**
   * One environment: one query of its watched dataflows, read with the bot's own identity (Dataverse's dataflow tables
   * need no person's sign-in); decisions; messages queued; the cursor moved once every alert of the poll was tried
   * (past everything read, or to the first alert not sent while the connector, the store or the lease was unavailable).
   * One message refused for good (a 400 or 413 of one conversation) does not hold it: the overlap tries it again, and no
   * other conversation's query grows with it. A failed read holds the cursor: the next poll reads again.
   */
  private async pollEnvironment(group: DataflowPollGroup, result: PollRun): Promise<void> {
    const { environment, dataflowIds, watches } = group;
    const cursor = await this.deps.store.cursor(environment.name);
    const since = querySince(cursor, this.shared.now());
    const refreshes = await this.shared.limiter.execute(() => this.deps.reads.refreshesEndedSince(environment, dataflowIds, since)).catch((err: unknown) => {
      // Said once per conversation (until a read works again), with what failed and what to do: at once when Dataverse
      // refuses the bot's own identity (an admin's to fix, no blip), else once the failure lasts.
      if (this.failedRead(environment.name) || refusesTheBot(err)) {
        const speaking = watches.filter((w) => w.notifyLevel !== 'mute');
        this.enqueue(dataflowUnreadable(speaking, dataflowsUnreadable(err), this.shared.now()), result, 0);
      }
      throw err;
    });
    // Read again: the count starts afresh, and each watch's `unreadableAt` is cleared as it is decided (nothing is said).
    this.failing.delete(environment.name);
    const listed = await this.listing(environment);
    const sent: Array<Promise<{ hold: boolean; endedAt?: string }>> = [];
    for (const [i, watch] of watches.entries()) {
      // SQLite answers synchronously: without a turn of the event loop now and then, thousands of watches are one long block.
      if (i % 10 === 9) await setImmediate();
      for (const queued of await this.decide(watch, refreshes, listed, result)) sent.push(queued);
    }
    // Moving the cursor waits for the sends but not the poll: the next poll's overlap and the reported records cover a crash.
    void Promise.all(sent).then(async (outcomes) => {
      const held = outcomes.filter((o) => o.hold && o.endedAt).map((o) => o.endedAt!).sort((a, b) => Date.parse(a) - Date.parse(b));
      const next = held[0] ?? nextCursor(cursor, refreshes);
      if (next !== undefined && next !== cursor) await this.deps.store.advanceCursor(environment.name, next);
    }).catch((err: unknown) => this.shared.logger?.warn({ err, environment: environment.name }, 'dataflow cursor not moved'));
  }

  /**
   * This instance stopped leading (its polls waited out): the failed polls it counted are no longer in a row, since the
   * next lead polls meanwhile (and may read the environment again). Should it lead again, it counts afresh.
   */
  leadEnded(): void {
    this.failing.clear();
  }

  /** Counts a failed read of the environment; true once its reads failed DATAFLOW_UNREADABLE.afterPolls in a row for DATAFLOW_UNREADABLE.afterMs. */
  private failedRead(environmentName: string): boolean {
    const now = this.shared.now().getTime();
    const failing = this.failing.get(environmentName) ?? { since: now, polls: 0 };
    failing.polls++;
    this.failing.set(environmentName, failing);
    return failing.polls >= DATAFLOW_UNREADABLE.afterPolls && now - failing.since >= DATAFLOW_UNREADABLE.afterMs;
  }

  /**
   * The environment's dataflow ids from one complete listing, when one is due (every DATAFLOW_LISTING.listEveryMs);
   * undefined otherwise. A failed listing is no answer at all (tried again when the next one is due, so a listing
   * Dataverse keeps refusing costs no call and no log line at every poll): only a whole one can show that a watched
   * dataflow is gone.
   */
  private async listing(environment: DataflowEnvironment): Promise<ReadonlySet<string> | undefined> {
    const now = this.shared.now().getTime();
    const last = this.listedAt.get(environment.name);
    if (last !== undefined && now - last < DATAFLOW_LISTING.listEveryMs) return undefined;
    this.listedAt.set(environment.name, now);
    try {
      const ids = await this.shared.limiter.execute(() => this.deps.reads.listedDataflowIds(environment));
      if (ids.length === 0) {
        this.shared.logger?.warn({ environment: environment.name }, 'the environment lists no dataflow to the bot: its watches end only after a day of such answers; if its dataflows exist, check the role of the bot\'s application user there');
      }
      return new Set(ids.map((id) => id.toLowerCase()));
    } catch (err) {
      this.shared.logger?.warn({ err, environment: environment.name }, 'dataflows of the environment not listed; deleted ones are looked for at the next listing');
      return undefined;
    }
  }

  /** One watch: decision, records it writes at once, messages queued (a refresh's tables read first). */
  private async decide(watch: DataflowWatch, refreshes: DataflowRefresh[], listed: ReadonlySet<string> | undefined, result: PollRun): Promise<Array<Promise<{ hold: boolean; endedAt?: string }>>> {
    const mine = refreshes.filter((r) => r.dataflowId === watch.dataflowId).map((r) => r.id);
    const reported = mine.length > 0 ? await this.deps.store.reported(watch, mine) : new Set<string>();
    const decision = decideDataflowWatch({ watch, refreshes, reported, listed, now: this.shared.now() });
    const alerted = new Set(decision.alerts.flatMap((a) => (a.kind === 'refresh' ? [a.refresh.id] : [])));
    await this.deps.store.markReported(watch, decision.report.filter((id) => !alerted.has(id)));
    const { stalledAt, ...now } = decision.update;
    const stallAlert = decision.alerts.some((a) => a.kind === 'stalled' || a.kind === 'resumed');
    const change = { ...now, ...(stallAlert || !('stalledAt' in decision.update) ? {} : { stalledAt }), ...(watch.unreadableAt ? { unreadableAt: undefined } : {}) };
    if (changes(watch, change)) await this.deps.store.update(watch, change);
    if (change.deletedAt) {
      this.shared.logger?.info({ dataflowId: watch.dataflowId, conversationId: watch.conversationId, environment: watch.environment.name, missingSince: watch.missing?.since }, 'muted watch of a dataflow no longer listed in its environment ended without a message');
    }
    const about = aboutWatch({ ...watch, ...change }); // its name as the latest refresh carries it
    const messages = decision.alerts.map((a): DataflowMessage & { endedAt?: string; at?: string } => {
      const key = `${watch.conversationId}|dataflow|${a.key}`;
      if (a.kind === 'stalled') return { key, watch, alert: { kind: 'stalled', ...about, lastRefreshAt: a.lastRefreshAt, usualIntervalMs: a.usualIntervalMs }, onSent: { change: { stalledAt } } };
      if (a.kind === 'gone') {
        this.shared.logger?.info({ dataflowId: watch.dataflowId, conversationId: watch.conversationId, environment: watch.environment.name, missingSince: watch.missing?.since }, 'watched dataflow no longer listed in its environment: its watch ends once that is said');
        const at = this.shared.now().toISOString();
        return { key, watch, alert: { kind: 'gone', ...about }, onSent: { change: { deletedAt: at } }, at };
      }
      if (a.kind === 'resumed') return { key, watch, alert: { kind: 'resumed', ...about, stalledAt: a.stalledAt, refreshEndedAt: a.refresh.endedAt }, onSent: { change: { stalledAt: undefined } }, at: a.refresh.endedAt };
      // Read as the alert goes rather than in the poll: the poll's alerts are queued without waiting for 200 reads. Under
      // the deadline: the conversation's later alerts (its project alerts too) wait for this one, and a Dataverse that
      // throttles could hold them for minutes; past it the card goes without the tables.
      const read = () => this.deps.reads.tableRefreshes(watch.environment, a.refresh.id);
      const tables = () => this.shared.limiter.execute(() => (this.shared.deadline ? this.shared.deadline.execute(read) : read())).catch((err: unknown) => {
        this.shared.logger?.warn({ err, dataflowId: watch.dataflowId, refreshId: a.refresh.id }, 'tables of a refresh not read; the card goes without them');
        return undefined;
      });
      const alert = { kind: 'refresh' as const, ...about, dataflowName: a.refresh.dataflowName || about.dataflowName, refresh: a.refresh };
      return { key, watch, alert, onSent: { reported: [a.refresh.id] }, endedAt: a.refresh.endedAt, tables };
    });
    return messages.map((m) => {
      const at = m.at ?? m.endedAt;
      const delivered = this.enqueue([m], result, at ? Date.parse(at) : 0)[0]!;
      return delivered.then((outcome) => ({ hold: outcome === 'unavailable', endedAt: m.endedAt }));
    });
  }

  /** Holds messages until the poll's flush; each promise settles with what became of its delivery. */
  private enqueue(messages: DataflowMessage[], run: PollRun, at: number): Array<Promise<DeliveryOutcome>> {
    return messages.map((message) => new Promise<DeliveryOutcome>((resolve) => run.waiting.push({ message, at, settle: (d) => { void d.then(resolve); } })));
  }

  /**
   * Queues the messages waiting, oldest refresh first across every conversation: the tenant's send limit then serves
   * the refreshes that waited longest first, so a burst of alerts delays the newest, not the oldest. Once for every
   * environment read within `orderWithinMs`, then again as each later one is read.
   */
  private flush(run: PollRun): void {
    const waiting = run.waiting.sort((a, b) => a.at - b.at);
    run.waiting = [];
    for (const { message: m, settle } of waiting) {
      // Not tried (already waiting, the conversation's queue held after an outage, or a delivery that threw): unavailable.
      let outcome: DeliveryOutcome = 'unavailable';
      const delivered = this.shared.outbox.enqueue({ key: m.key, conversationId: m.watch.conversationId, deliver: async () => (outcome = await this.delivery.deliver(m)) });
      if (!delivered) { settle(Promise.resolve(outcome)); continue; }
      run.queued++;
      run.deliveries.push(delivered);
      settle(delivered.then(() => outcome));
    }
  }
}

/** Whether writing `change` would change the watch (most polls find most dataflows as they were). */
function changes(watch: DataflowWatch, change: Partial<DataflowWatch>): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []); // no end times = an empty list
  return Object.entries(change).some(([key, value]) => !same(watch[key as keyof DataflowWatch], value));
}
