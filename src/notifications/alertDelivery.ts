import { timeout, TimeoutStrategy } from 'cockatiel';
import type { DataIntegration, EntityMapping, Execution, RecordError, RecordName } from '../integration/port';
import type { Logger } from '../logger';
import type { AlertMessage, WatchWrites } from './alertMessage';
import type { DeliveryResult, ProactiveSender } from './proactiveSender';
import { cardUpdate } from './watchDecision';
import type { AlertPresenter } from './watchAlert';
import { startingRun, type WatchKey, type WatchStore } from './watchStore';
import { traceAlert } from '../telemetry/watcherTelemetry';
import { wordsFor } from '../words/words';

// From a decided message to the channel: its rejected records named, queued per conversation, sent once, recorded.

/** How long a card waits for the names of its rejected records before it goes out with their ids alone. */
export const RECORD_NAMES_TIMEOUT_MS = 5000;

/** What naming records asks of Data Integration: the project (which table, which environment) and the names. */
export type RecordNameSource = Pick<DataIntegration, 'getProject' | 'recordNames'>;

/** Options of withRecordNames. */
export interface RecordNameOptions {
  logger?: Logger;
  timeoutMs?: number;
}

/**
 * The run with its first `count` rejected records named (primary name and number, from the source
 * environment), for a card to show beside the ids. Best effort: when the project, the environment or
 * the table is unknown, or the lookup fails or takes longer than the time-out, the run comes back as
 * it was (ids only) and a warning is logged; it never rejects.
 */
export async function withRecordNames(
  di: RecordNameSource, execution: Execution, count: number, options: RecordNameOptions = {},
): Promise<Execution> {
  const listed = execution.recordErrors.slice(0, count);
  if (listed.length === 0) return execution;
  const { logger, timeoutMs = RECORD_NAMES_TIMEOUT_MS } = options;
  try {
    // Aggressive: the card goes out at the deadline even if the lookup does not stop by itself.
    const names = await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(() => namesOf(di, execution.projectName, listed));
    const recordErrors = execution.recordErrors.map((e, i) => (names[i] ? { ...e, record: names[i] } : e));
    return { ...execution, recordErrors };
  } catch (err) {
    // Record names are customer data: the log says which run, never which records.
    logger?.warn({ err, projectName: execution.projectName, executionId: execution.id, records: listed.length }, 'record names not looked up; the card shows ids only');
    return execution;
  }
}

/** The mapping a rejected record came from: the one its leg names, or the project's only one. */
function mappingOf(mappings: readonly EntityMapping[], e: RecordError): EntityMapping | undefined {
  if (!e.origin) return mappings.length === 1 ? mappings[0] : undefined;
  const { task, leg } = e.origin;
  return mappings.find((m) => m.origin?.task === task && m.origin.leg === leg);
}

/** One lookup per source table (usually one in all); the names in the order of `listed`. */
async function namesOf(di: RecordNameSource, projectName: string, listed: readonly RecordError[]): Promise<Array<RecordName | undefined>> {
  const { entityMappings } = await di.getProject(projectName);
  const tables = new Map<string, { environment: string; entity: string; ids: string[] }>();
  const tableOf = listed.map((e) => {
    const mapping = mappingOf(entityMappings, e);
    if (!mapping?.sourceEnvironment) return undefined;
    const key = `${mapping.sourceEnvironment}|${mapping.sourceEntity}`;
    const table = tables.get(key) ?? tables.set(key, { environment: mapping.sourceEnvironment, entity: mapping.sourceEntity, ids: [] }).get(key)!;
    table.ids.push(e.recordId);
    return key;
  });
  const found = new Map(await Promise.all([...tables].map(async ([key, t]) => [key, await di.recordNames(t.environment, t.entity, t.ids)] as const)));
  return listed.map((e, i) => {
    const name = found.get(tableOf[i] ?? '')?.get(e.recordId);
    return name && (name.name || name.number) ? name : undefined;
  });
}

/**
 * What became of one message: sent (and recorded), refused, not sent because the connector or the store was
 * unavailable, or held back (its run may be a "Run now" whose card is not stored yet: the next poll decides again).
 */
export type DeliveryOutcome = 'sent' | 'failed' | 'unavailable' | 'held';

/** One message waiting to go out: `deliver` sends it and records it, and says how that went. */
export interface OutboxItem {
  /** Unique per alert (conversation, project, execution): the same alert is never queued twice. */
  key: string;
  /** The keys of the alerts it stands for besides its own (a digest's runs): none of them is queued again while it waits. */
  covers?: readonly string[];
  conversationId: string;
  deliver(): Promise<DeliveryOutcome>;
}

/**
 * Alerts waiting to be sent, decoupled from polling: a poll queues them and goes on; each
 * conversation's queue is drained in order (the sender applies Teams' rate limits), conversations
 * side by side. An alert is recorded as reported only once delivered, so one that never went out
 * (a crash, a refused send) is found again by the next poll: nothing is lost, and the queue itself
 * needs no storage of its own.
 */
export class AlertOutbox {
  private readonly queued = new Set<string>();
  /** Sent since the current poll started: a look that read "reported" just before their record was written still skips them. */
  private sent = new Set<string>();
  private readonly tails = new Map<string, Promise<DeliveryOutcome>>();
  /** What a decision asks of the outbox: is this alert waiting, being sent, or just sent. */
  readonly keys: Pick<ReadonlySet<string>, 'has'> = { has: (key) => this.queued.has(key) || this.sent.has(key) };

  /**
   * Queues an item; undefined when the same alert is already waiting. Resolves with whether it was sent.
   * When the connector is unavailable, the rest of that conversation's queue is not tried: the next
   * poll finds those alerts again, with the failed one, so a thread keeps its order after an outage.
   */
  enqueue(item: OutboxItem): Promise<boolean> | undefined {
    if (this.queued.has(item.key)) return undefined;
    const keys = [item.key, ...(item.covers ?? [])];
    keys.forEach((k) => this.queued.add(k));
    const previous = this.tails.get(item.conversationId) ?? Promise.resolve<DeliveryOutcome>('sent');
    const outcome = previous
      .then((before) => (before === 'unavailable' ? before : item.deliver()))
      .catch((): DeliveryOutcome => 'failed')
      .then((o) => {
        keys.forEach((k) => { this.queued.delete(k); if (o === 'sent') this.sent.add(k); });
        return o;
      });
    this.tails.set(item.conversationId, outcome);
    void outcome.then(() => { if (this.tails.get(item.conversationId) === outcome) this.tails.delete(item.conversationId); });
    return outcome.then((o) => o === 'sent');
  }

  /** A poll starts: what was sent before it is in the records it reads. */
  pollStarted(): void {
    this.sent = new Set();
  }

  /** Whether an alert is waiting or being sent. */
  has(key: string): boolean {
    return this.queued.has(key);
  }

  /** How many alerts wait or are being sent. */
  get size(): number {
    return this.queued.size;
  }

  /** Resolves once everything queued so far has been tried. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}

/** What delivering an alert needs. */
export interface AlertDeliveryDeps {
  watches: WatchStore;
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  present: AlertPresenter;
  /** Whether this instance still leads (holds the lease): the moment it does not, no alert goes out. */
  leader?: { isLeader(): boolean };
  logger?: Logger;
  now?: () => Date;
}

/** Writes a decision's records: reported runs, finished "Run now" cards, the watch's bookkeeping. */
export async function applyWrites(watches: WatchStore, key: WatchKey, writes: WatchWrites): Promise<void> {
  await watches.markReported(key, writes.reported ?? []);
  for (const id of writes.finishedPending ?? []) await watches.removePendingRun(key, id);
  if (writes.change && Object.keys(writes.change).length > 0) await watches.update(key, writes.change);
}

/** The message with the rejected records of its run named (best effort: `name` never rejects). */
export async function withNamedRecords(message: AlertMessage, name: (e: Execution) => Promise<Execution>): Promise<AlertMessage> {
  const { alert, nameRecordsOf } = message;
  if (!nameRecordsOf) return message;
  const named = await name(nameRecordsOf);
  if (alert.kind === 'runResult') return { ...message, nameRecordsOf: named, alert: { ...alert, execution: named } };
  if (alert.kind !== 'run') return message;
  const recordErrors = named.recordErrors.slice(0, alert.alert.recordErrors.length);
  return { ...message, nameRecordsOf: named, alert: { kind: 'run', alert: { ...alert.alert, recordErrors } } };
}

/**
 * The one place an alert goes out: posted into the project's thread (starting it with the first
 * message) or over a run's card, then recorded in one write right after the connector took it.
 */
export class AlertDelivery {
  private readonly threads = new Map<string, string>();

  constructor(private readonly deps: AlertDeliveryDeps) {}

  /** Sends one message and writes what it records; `sent` when the connector took it. */
  async deliver(message: AlertMessage): Promise<DeliveryOutcome> {
    const actual = await this.latest(message);
    if (!actual) {
      this.deps.logger?.info({ conversationId: message.watch.conversationId, projectName: message.watch.projectName }, 'run alert held back: a "Run now" of the project is being started there, or its run was told meanwhile');
      return 'held';
    }
    const result = await traceAlert(actual.alert, () => this.post(actual));
    if (result.status === 'failed' && result.messageGone && 'card' in actual.to) await this.cardGone(actual);
    if (result.status !== 'sent') return result.status === 'failed' && result.unavailable ? 'unavailable' : 'failed';
    // The one write between the connector's answer and "alerted": a crash just here is the only way to repeat an alert.
    await applyWrites(this.deps.watches, actual.watch, actual.onSent);
    return 'sent';
  }

  /**
   * A "Run now" card that was deleted cannot show its result: the run is no longer pending (nor blocks another start), so
   * the next look finds it finished and unreported and alerts it in the project's thread like any run (the
   * conversation's level applies). Nothing is marked reported here: the result is not lost, only moved.
   */
  private async cardGone(message: AlertMessage): Promise<void> {
    const { watch, onSent } = message;
    this.deps.logger?.info({ conversationId: watch.conversationId, projectName: watch.projectName, executionIds: onSent.finishedPending }, 'run card deleted; its result goes to the thread');
    await applyWrites(this.deps.watches, watch, { finishedPending: onSent.finishedPending });
  }

  /**
   * A run's thread alert, read against the watch as it is now (it was decided on the watch as the poll listed it): a
   * "Run now" claimed there since (its card not stored yet: the run may be its, ended at once) holds it back (undefined);
   * a run stored as pending since updates its card instead (a digest holding one waits for the next poll's decision).
   * A start claims the watch before it calls the service, so a run seen ended is seen with its claim or its card.
   * A run reported since (its card got the result from the instance that started it, which then forgot it as pending)
   * holds the alert back too, a digest holding one as well: the next poll decides again without it. That card's update
   * records the run as reported before it forgets it, so the watch is read first: a run no longer pending is reported.
   */
  private async latest(message: AlertMessage): Promise<AlertMessage | undefined> {
    const { alert } = message;
    const runs = alert.kind === 'run' ? [alert.alert] : alert.kind === 'digest' ? alert.alerts : [];
    if (!('thread' in message.to) || runs.length === 0) return message;
    const watch = await this.deps.watches.get(message.watch);
    if (watch && startingRun(watch, this.deps.now?.() ?? new Date())) return undefined;
    const started = watch?.pendingRuns?.find((r) => runs.some((a) => a.executionId === r.executionId));
    if (!started) {
      const told = await this.deps.watches.reported(message.watch, runs.map((a) => a.executionId));
      return told.size > 0 ? undefined : message;
    }
    return alert.kind === 'run' && message.nameRecordsOf ? { ...cardUpdate(message.watch, message.nameRecordsOf, started), key: message.key } : undefined;
  }

  private async post(message: AlertMessage): Promise<DeliveryResult> {
    const { watch } = message;
    const words = wordsFor(message.speaks ?? watch.speaks);
    const activity = { type: 'message' as const, attachments: [this.deps.present(message.alert, words)] };
    // A card in place may be updated by the instance that started the run, lead or not: an update twice shows once.
    if ('card' in message.to) {
      return this.deps.sender.update(watch.conversationId, message.to.card, activity);
    }
    if (this.deps.leader?.isLeader() === false) return { status: 'failed', reason: 'no longer the instance that sends alerts' };
    const key = `${watch.conversationId}|${watch.projectName}`;
    const threadId = this.threads.get(key) ?? watch.threadActivityId;
    const result: DeliveryResult = await this.deps.sender.send(
      { conversationId: watch.conversationId, replyToId: threadId, newThread: !threadId }, { ...activity, summary: message.summary && words.reply(message.summary) },
    );
    // A new thread: the first alert here, or the thread's first message was deleted (proactiveSender.ts).
    if (result.status === 'sent' && result.threadId && result.threadId !== threadId) {
      this.threads.set(key, result.threadId);
      await this.deps.watches.update(watch, { threadActivityId: result.threadId });
    }
    return result;
  }
}
