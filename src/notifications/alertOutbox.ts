/** One message waiting to go out: `deliver` sends it and records it, and says whether it went. */
export interface OutboxItem {
  /** Unique per alert (conversation, project, execution): the same alert is never queued twice. */
  key: string;
  conversationId: string;
  deliver(): Promise<boolean>;
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
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues an item; undefined when the same alert is already waiting. Resolves with its delivery. */
  enqueue(item: OutboxItem): Promise<boolean> | undefined {
    if (this.queued.has(item.key)) return undefined;
    this.queued.add(item.key);
    const previous = this.tails.get(item.conversationId) ?? Promise.resolve();
    const delivered = previous.then(() => item.deliver()).catch(() => false).finally(() => this.queued.delete(item.key));
    const tail = delivered.then(() => undefined);
    this.tails.set(item.conversationId, tail);
    void tail.then(() => { if (this.tails.get(item.conversationId) === tail) this.tails.delete(item.conversationId); });
    return delivered;
  }

  /** Whether an alert is waiting or being sent. */
  has(key: string): boolean {
    return this.queued.has(key);
  }

  /** The keys of the alerts waiting or being sent. */
  get keys(): ReadonlySet<string> {
    return this.queued;
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
