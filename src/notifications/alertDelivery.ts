import type { Execution } from '../integration/port';
import type { AlertMessage, WatchWrites } from './alertMessage';
import type { DeliveryResult, ProactiveSender } from './proactiveSender';
import { cardUpdate } from './watchDecision';
import type { AlertPresenter } from './watchAlert';
import type { WatchKey, WatchStore } from './watchStore';
import { traceAlert } from '../telemetry/watcherTelemetry';

/** What delivering an alert needs. */
export interface AlertDeliveryDeps {
  watches: WatchStore;
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  present: AlertPresenter;
  /** False the moment this instance may no longer send alerts (it lost the leader lease). */
  mayAct?: () => boolean;
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

  /** Sends one message and writes what it records; true when the connector took it. */
  async deliver(message: AlertMessage): Promise<boolean> {
    const actual = await this.latest(message);
    const sent = await this.send(actual);
    // The one write between the connector's answer and "alerted": a crash just here is the only way to repeat an alert.
    if (sent) await applyWrites(this.deps.watches, actual.watch, actual.onSent);
    return sent;
  }

  /** "Run now" registers its run just after the service started it: a run that finished that fast updates its card, not a new alert. */
  private async latest(message: AlertMessage): Promise<AlertMessage> {
    if (message.alert.kind !== 'run' || !message.nameRecordsOf) return message;
    const started = (await this.deps.watches.get(message.watch))?.pendingRuns?.find((r) => r.executionId === message.nameRecordsOf!.id);
    return started ? { ...cardUpdate(message.watch, message.nameRecordsOf, started.activityId), key: message.key } : message;
  }

  private async send(message: AlertMessage): Promise<boolean> {
    return (await traceAlert(message.alert, () => this.post(message))).status === 'sent';
  }

  private async post(message: AlertMessage): Promise<DeliveryResult> {
    const { watch } = message;
    const activity = { type: 'message' as const, attachments: [this.deps.present(message.alert)] };
    // A card in place may be updated by the instance that started the run, lead or not: an update twice shows once.
    if ('card' in message.to) {
      return this.deps.sender.update(watch.conversationId, message.to.card, activity);
    }
    if (this.deps.mayAct?.() === false) return { status: 'failed', reason: 'no longer the instance that sends alerts' };
    const key = `${watch.conversationId}|${watch.projectName}`;
    const threadId = this.threads.get(key) ?? watch.threadActivityId;
    const result: DeliveryResult = await this.deps.sender.send(
      { conversationId: watch.conversationId, replyToId: threadId, newThread: !threadId }, { ...activity, summary: message.summary },
    );
    if (result.status === 'sent' && result.threadId && !threadId) {
      this.threads.set(key, result.threadId);
      await this.deps.watches.update(watch, { threadActivityId: result.threadId });
    }
    return result;
  }
}
