import { setImmediate } from 'node:timers/promises';
import type { DataIntegration, DataIntegrationError, DataflowRefresh } from '../integration/port';
import { adviceFor, needsSignIn, refusesTheBot } from '../integration/errorCatalogue';
import type { Logger } from '../logger';
import type { Person } from '../person';
import type { AlertOutbox } from './alertDelivery';
import { aboutWatch, type DataflowMessage, type DataflowPresenter, dataflowSignInNeeded, dataflowUnreadable } from './dataflowAlert';
import { dataflowPollGroups, decideDataflowWatch, type DataflowPollGroup, nextCursor, querySince } from './dataflowDecision';
import { DataflowDelivery } from './dataflowDelivery';
import type { DataflowWatch, DataflowWatchStore } from './dataflowWatchStore';
import type { ProactiveSender } from './proactiveSender';

/** Gives the client to read with as a watch's owner (their delegated sign-in); undefined when there is none. */
export type DataflowIntegrationFor = (of: { owner: Person; conversationId: string }) => Promise<DataIntegration | undefined>;

/** What the dataflow poller needs of its own. */
export interface DataflowPollerDeps {
  store: DataflowWatchStore;
  present: DataflowPresenter;
  integrationFor: DataflowIntegrationFor;
}

/** What it shares with the run watcher: one outbox, one sender (Teams' limits), one bound on calls in flight, one lease. */
export interface DataflowPollShared {
  outbox: AlertOutbox;
  limiter: { execute<T>(fn: () => Promise<T>): Promise<T> };
  sender: Pick<ProactiveSender, 'send'>;
  leader?: { isLeader(): boolean };
  now: () => Date;
  logger?: Logger;
}

/** What one dataflow poll did; `deliveries` settle once its alerts were tried. */
export interface DataflowPollResult { watches: number; queued: number; failures: number; deliveries: Array<Promise<boolean>> }

/** A poll's result while it runs: its messages wait here until every environment was read, then go out oldest first. */
interface PollRun extends DataflowPollResult {
  waiting: Array<{ message: DataflowMessage; at: number; settle(delivered: Promise<boolean>): void }>;
}

/** Report records are kept this long (beyond any query's look-back). */
const REPORTS_KEPT_MS = 46 * 86_400_000;

/**
 * Each poll: per environment and owner, one query of the refreshes that ended since the environment's cursor; each
 * watch decided (decideDataflowWatch), per-table rows read only for refreshes alerted, messages queued in the shared
 * outbox. The cursor moves only past refreshes whose alerts went out, and "reported" records keep a re-read silent.
 */
export class DataflowPoller {
  private readonly delivery: DataflowDelivery;

  constructor(private readonly deps: DataflowPollerDeps, private readonly shared: DataflowPollShared) {
    this.delivery = new DataflowDelivery({ store: deps.store, sender: shared.sender, present: deps.present, leader: shared.leader });
  }

  /** One pass over every active dataflow watch. */
  async poll(): Promise<DataflowPollResult> {
    const result: PollRun = { watches: 0, queued: 0, failures: 0, deliveries: [], waiting: [] };
    void this.delivery.prepare();
    try {
      const watches = await this.deps.store.active();
      result.watches = watches.length;
      const clients = new Map<string, Promise<DataIntegration | undefined>>();
      await Promise.all(dataflowPollGroups(watches).map((group) => this.pollEnvironment(group, clients, result)));
    } catch (err) {
      result.failures++;
      this.shared.logger?.warn({ err }, 'dataflow poll failed; tried again next poll');
    }
    this.flush(result);
    // Housekeeping after the alerts are queued: it delays none of them.
    await this.deps.store.pruneReports(new Date(this.shared.now().getTime() - REPORTS_KEPT_MS))
      .catch((err: unknown) => this.shared.logger?.warn({ err }, 'old dataflow reports not pruned; tried again next poll'));
    const { waiting, ...summary } = result;
    return summary;
  }

  /** One environment: a query per owner, then the cursor moved once every alert of the poll was tried. */
  private async pollEnvironment(group: DataflowPollGroup, clients: Map<string, Promise<DataIntegration | undefined>>, result: PollRun): Promise<void> {
    const cursor = await this.deps.store.cursor(group.environment.name);
    const since = querySince(cursor, this.shared.now());
    const points = await Promise.all(byOwner(group.watches).map((watches) => this.pollOwner(group, watches, since, cursor, clients, result).catch((err: unknown) => {
      result.failures++;
      this.shared.logger?.warn({ err, environment: group.environment.name }, 'dataflow refreshes not read; tried again next poll');
      return { settled: Promise.resolve<string | null | undefined>(cursor ?? null) }; // null: the cursor stays
    })));
    // Moving the cursor waits for the sends but not the poll: the next poll's overlap and the reported records cover a crash.
    void Promise.all(points.flatMap((p) => (p ? [p.settled] : []))).then(async (safe) => {
      const moves = safe.filter((p) => p !== undefined);
      if (moves.length === 0 || moves.includes(null)) return;
      const earliest = (moves as string[]).reduce((a, p) => (Date.parse(p) < Date.parse(a) ? p : a));
      if (earliest !== cursor) await this.deps.store.advanceCursor(group.environment.name, earliest);
    }).catch((err: unknown) => this.shared.logger?.warn({ err, environment: group.environment.name }, 'dataflow cursor not moved'));
  }

  /**
   * One owner's watches of an environment: one query, decisions, messages queued. `settled`: where the cursor may
   * move once its alerts were tried (past everything read, or to the first alert not sent); undefined: no constraint.
   */
  private async pollOwner(
    group: DataflowPollGroup, watches: DataflowWatch[], since: string, cursor: string | undefined,
    clients: Map<string, Promise<DataIntegration | undefined>>, result: PollRun,
  ): Promise<{ settled: Promise<string | null | undefined> } | undefined> {
    const { owner, conversationId } = watches[0]!;
    const ownerKey = owner.userId ?? owner.aadObjectId;
    if (!clients.has(ownerKey)) clients.set(ownerKey, this.deps.integrationFor({ owner, conversationId }).catch(() => undefined));
    const integration = await clients.get(ownerKey);
    const ids = [...new Set(watches.map((w) => w.dataflowId))];
    const refreshes = integration && await this.shared.limiter.execute(() => integration.refreshesEndedSince(group.environment, ids, since)).catch((err: unknown) => {
      if (needsSignIn(err)) return undefined;
      if (refusesTheBot(err)) {
        // Dataverse refuses the bot's own identity: said once, with the admin's fix; then a failed read like any other.
        const advice = adviceFor(err as DataIntegrationError);
        this.enqueue(dataflowUnreadable(watches, { why: advice.why ?? advice.title, next: advice.next }, this.shared.now()), result, 0);
      }
      throw err;
    });
    if (!integration || !refreshes) {
      // A lapsed sign-in does not hold the environment's cursor for the other owners: it is said once, then waits.
      this.enqueue(dataflowSignInNeeded(watches, this.shared.now()), result, 0);
      return undefined;
    }
    const sent: Array<Promise<{ ok: boolean; endedAt?: string }>> = [];
    for (const [i, watch] of watches.entries()) {
      // SQLite answers synchronously: without a turn of the event loop now and then, thousands of watches are one long block.
      if (i % 10 === 9) await setImmediate();
      for (const queued of await this.decide(watch, refreshes, integration, result)) sent.push(queued);
    }
    const settled = Promise.all(sent).then((outcomes) => {
      const held = outcomes.filter((o) => !o.ok && o.endedAt).map((o) => o.endedAt!).sort((a, b) => Date.parse(a) - Date.parse(b));
      return held[0] ?? nextCursor(cursor, refreshes);
    });
    return { settled };
  }

  /** One watch: decision, records it writes at once, messages queued (a refresh's tables read first). */
  private async decide(watch: DataflowWatch, refreshes: DataflowRefresh[], integration: DataIntegration, result: PollRun): Promise<Array<Promise<{ ok: boolean; endedAt?: string }>>> {
    const mine = refreshes.filter((r) => r.dataflowId === watch.dataflowId).map((r) => r.id);
    const reported = mine.length > 0 ? await this.deps.store.reported(watch, mine) : new Set<string>();
    const decision = decideDataflowWatch({ watch, refreshes, reported, now: this.shared.now() });
    const alerted = new Set(decision.alerts.flatMap((a) => (a.kind === 'refresh' ? [a.refresh.id] : [])));
    await this.deps.store.markReported(watch, decision.report.filter((id) => !alerted.has(id)));
    const { stalledAt, ...now } = decision.update;
    const stallAlert = decision.alerts.some((a) => a.kind !== 'refresh');
    const change = { ...now, ...(stallAlert || !('stalledAt' in decision.update) ? {} : { stalledAt }), ...(watch.signInNeededAt ? { signInNeededAt: undefined } : {}), ...(watch.unreadableAt ? { unreadableAt: undefined } : {}) };
    if (changes(watch, change)) await this.deps.store.update(watch, change);
    const about = aboutWatch(watch);
    const messages = decision.alerts.map((a): DataflowMessage & { endedAt?: string; at?: string } => {
      const key = `${watch.conversationId}|dataflow|${a.key}`;
      if (a.kind === 'stalled') return { key, watch, alert: { kind: 'stalled', ...about, lastRefreshAt: a.lastRefreshAt, usualIntervalMs: a.usualIntervalMs }, onSent: { change: { stalledAt } } };
      if (a.kind === 'resumed') return { key, watch, alert: { kind: 'resumed', ...about, stalledAt: a.stalledAt, refreshEndedAt: a.refresh.endedAt }, onSent: { change: { stalledAt: undefined } }, at: a.refresh.endedAt };
      // Read as the alert goes rather than in the poll: the poll's alerts are queued without waiting for 200 reads.
      const tables = () => this.shared.limiter.execute(() => integration.tableRefreshes(watch.environment, a.refresh.id)).catch((err: unknown) => {
        this.shared.logger?.warn({ err, dataflowId: watch.dataflowId, refreshId: a.refresh.id }, 'tables of a refresh not read; the card goes without them');
        return undefined;
      });
      return { key, watch, alert: { kind: 'refresh', ...about, refresh: a.refresh }, onSent: { reported: [a.refresh.id] }, endedAt: a.refresh.endedAt, tables };
    });
    return messages.map((m) => {
      const at = m.at ?? m.endedAt;
      const delivered = this.enqueue([m], result, at ? Date.parse(at) : 0)[0]!;
      return delivered.then((ok) => ({ ok, endedAt: m.endedAt }));
    });
  }

  /** Holds messages until the poll's flush; each promise settles with its delivery. */
  private enqueue(messages: DataflowMessage[], run: PollRun, at: number): Array<Promise<boolean>> {
    return messages.map((message) => new Promise<boolean>((resolve) => run.waiting.push({ message, at, settle: (d) => { void d.then(resolve); } })));
  }

  /**
   * Queues the poll's messages, oldest refresh first across every conversation: the tenant's send limit then serves
   * the refreshes that waited longest first, so a burst of alerts delays the newest, not the oldest.
   */
  private flush(run: PollRun): void {
    for (const { message: m, settle } of run.waiting.sort((a, b) => a.at - b.at)) {
      const delivered = this.shared.outbox.enqueue({ key: m.key, conversationId: m.watch.conversationId, deliver: () => this.delivery.deliver(m) });
      if (!delivered) { settle(Promise.resolve(false)); continue; }
      run.queued++;
      run.deliveries.push(delivered);
      settle(delivered);
    }
  }
}

/** Whether writing `change` would change the watch (most polls find most dataflows as they were). */
function changes(watch: DataflowWatch, change: Partial<DataflowWatch>): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []); // no end times = an empty list
  return Object.entries(change).some(([key, value]) => !same(watch[key as keyof DataflowWatch], value));
}

/** A group's watches split by owner: each owner's query is read with their own sign-in. */
function byOwner(watches: readonly DataflowWatch[]): DataflowWatch[][] {
  const owners = new Map<string, DataflowWatch[]>();
  for (const w of watches) {
    const key = w.owner.userId ?? w.owner.aadObjectId;
    const mine = owners.get(key);
    if (mine) mine.push(w);
    else owners.set(key, [w]);
  }
  return [...owners.values()];
}
