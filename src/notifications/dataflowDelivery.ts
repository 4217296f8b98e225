import { setImmediate } from 'node:timers/promises';
import { alertsAt } from './dataflowDecision';
import type { DataflowMessage, DataflowPresenter } from './dataflowAlert';
import type { DataflowWatchStore } from './dataflowWatchStore';
import { wordsFor } from '../words/words';
import type { ProactiveSender } from './proactiveSender';
import type { DeliveryOutcome } from './alertDelivery';

/** What sending a dataflow alert needs: the same sender (rate limits) and lease as the project alerts. */
export interface DataflowDeliveryDeps {
  store: DataflowWatchStore;
  sender: Pick<ProactiveSender, 'send'>;
  present: DataflowPresenter;
  leader?: { isLeader(): boolean };
}

/**
 * The one place a dataflow alert goes out: into the dataflow's thread (the first alert starts it) in a channel, or
 * into the chat, then recorded right after the connector took it. The watch is read again first, so a watch stopped
 * or set to "failures only" while the alert waited acts at once.
 */
export class DataflowDelivery {
  private readonly threads = new Map<string, string>();
  /** Sends start one per turn of the event loop (see deliver). */
  private turn: Promise<unknown> = Promise.resolve();
  private prepared?: Promise<void>;

  constructor(private readonly deps: DataflowDeliveryDeps) {}

  /** Readies the card renderer in the background (once): the first alert then renders without a long block. */
  prepare(): Promise<void> {
    this.prepared ??= (this.deps.present.prepare?.() ?? Promise.resolve()).catch(() => undefined);
    return this.prepared;
  }

  /** Sends one message and writes what it records; `sent` when it went, or when it no longer needs to. */
  async deliver(message: DataflowMessage): Promise<DeliveryOutcome> {
    // Each send starts on its own turn of the event loop: a poll's hundreds of cards are not rendered in one block
    // (immediates queued together all run in one turn; chained, each waits for the next).
    const mine = this.turn.then(() => Promise.all([this.prepare(), setImmediate()]));
    this.turn = mine;
    await mine;
    // No longer the lead: the next lead sends it, so (as for an outage) the cursor waits at it.
    if (this.deps.leader?.isLeader() === false) return 'unavailable';
    const watch = await this.deps.store.get(message.watch);
    // Stopped, or ended with its dataflow deleted (said once already): nothing more to say.
    if (!watch || watch.deletedAt) return 'sent';
    if (watch.notifyLevel === 'mute') return 'failed';
    let { alert } = message;
    if (alert.kind === 'refresh' && !alertsAt(watch.notifyLevel, alert.refresh)) {
      await this.deps.store.markReported(watch, [alert.refresh.id]);
      return 'sent';
    }
    if (alert.kind === 'refresh' && message.tables) alert = { ...alert, tables: await message.tables() };
    const key = `${watch.conversationId}|${watch.dataflowId}`;
    const threadId = this.threads.get(key) ?? watch.threadActivityId;
    // In the language of who asked for the watch, as project alerts are (alertDelivery.ts).
    const { attachment, summary } = this.deps.present(alert, wordsFor(watch.speaks));
    const result = await this.deps.sender.send(
      { conversationId: watch.conversationId, replyToId: threadId, newThread: !threadId }, { type: 'message', attachments: [attachment], summary },
    );
    // A connector that is down holds the rest of this conversation's queue, as for project alerts (alertDelivery.ts).
    if (result.status !== 'sent') return result.status === 'failed' && result.unavailable ? 'unavailable' : 'failed';
    // Between the connector's answer and these writes is the only place a crash can repeat an alert.
    await this.deps.store.markReported(watch, message.onSent.reported ?? []);
    // A `deletedAt` (its dataflow is gone) ends the watch here, so no poll reads it again and no later poll or instance
    // says it twice; it is kept, ended, so that a button of its older alerts says why.
    const change = { ...message.onSent.change };
    if (result.threadId && result.threadId !== threadId) {
      this.threads.set(key, result.threadId);
      change.threadActivityId = result.threadId;
    }
    // Kept so that Stop freezes it.
    const card = result.activityId;
    if (Object.keys(change).length > 0 || card) await this.deps.store.update(watch, change, card);
    for (const other of message.onSent.alsoChanged ?? []) await this.deps.store.update(other, message.onSent.change ?? {});
    return 'sent';
  }
}
