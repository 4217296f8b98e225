import { ExponentialBackoff, handleWhen, IBackoffFactory, IRetryBackoffContext, retry } from 'cockatiel';
import type { Logger } from '../logger';
import type { ConversationRecord, ConversationReferenceStore } from './conversationReferenceStore';
import { ConversationTransport, DeliveryError, OutboundActivity } from './outbound';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, TEAMS_TENANT_WINDOWS } from './slidingWindowLimiter';

/** Where a message goes: a conversation, optionally a reply in a thread, or a new thread in a channel. */
export interface SendTarget {
  conversationId: string;
  replyToId?: string;
  /** In a channel and without `replyToId`: start a thread with this message (its id comes back as `threadId`). */
  newThread?: boolean;
}

/** What became of a delivery. `gone`: the conversation refused the bot or no longer exists; it was forgotten. */
export type DeliveryResult =
  | { status: 'sent'; activityId?: string; threadId?: string }
  | { status: 'gone'; reason: string }
  /**
   * `unavailable`: the connector was down or throttling to the end of the retries; later messages to the conversation should wait.
   * `messageGone`: an update found no message to replace, or a reply none to reply to (404: it was deleted); trying again cannot help.
   */
  | { status: 'failed'; reason: string; unavailable?: boolean; messageGone?: boolean };

/** Retry tuning; tests shorten it. */
export interface RetryOptions {
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the send fails and is tried again at the next poll. */
  maxRetryAfterMs?: number;
}

/** What the sender needs. */
export interface ProactiveSenderOptions {
  refs: ConversationReferenceStore;
  transport: ConversationTransport;
  /** Told once a conversation is gone, e.g. to mark the watches there; `teamId`: the team whose channel it was, when its reference said. */
  onGone?: (conversationId: string, teamId?: string) => Promise<void> | void;
  logger?: Logger;
  conversationLimiter?: SlidingWindowLimiter;
  tenantLimiter?: SlidingWindowLimiter;
  retry?: RetryOptions;
}

/** Statuses worth another try (notes: teams-platform.md); status-less errors are network faults. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

/** Uses the connector's Retry-After when it gave one, the jittered exponential step otherwise. */
function honourRetryAfter(inner: IBackoffFactory<unknown>): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context) {
      const step = inner.next(context);
      const error = 'error' in context.result ? context.result.error : undefined;
      const hinted = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      return { duration: hinted ?? step.duration, next: honourRetryAfter(step).next };
    },
  };
}

/**
 * Sends proactive messages within Teams' per-conversation and per-tenant limits, retries what
 * may succeed later, and forgets a conversation that refused the bot. It never throws.
 */
export class ProactiveSender {
  private readonly conversationLimiter: SlidingWindowLimiter;
  private readonly tenantLimiter: SlidingWindowLimiter;
  private readonly policy;

  constructor(private readonly options: ProactiveSenderOptions) {
    this.conversationLimiter = options.conversationLimiter ?? new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    this.tenantLimiter = options.tenantLimiter ?? new SlidingWindowLimiter(TEAMS_TENANT_WINDOWS);
    const r = options.retry ?? {};
    const maxRetryAfterMs = r.maxRetryAfterMs ?? 60_000;
    this.policy = retry(
      handleWhen((e) => e instanceof DeliveryError && (e.status === undefined || RETRYABLE.has(e.status)) && (e.retryAfterMs ?? 0) <= maxRetryAfterMs),
      { maxAttempts: (r.maxAttempts ?? 4) - 1, backoff: honourRetryAfter(new ExponentialBackoff({ initialDelay: r.initialDelayMs ?? 500, maxDelay: r.maxDelayMs ?? 30_000 })) },
    );
  }

  /**
   * Posts a message; see SendTarget. A reply refused with 404 is posted as a new thread (its `threadId` comes back): the
   * thread's first message was deleted, or it is the conversation that is gone, which the new thread's 404 then says.
   */
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    const sent = await this.deliver(target.conversationId, target.replyToId ? 'reply' : 'send', async (record, transport) => {
      if (!target.replyToId && target.newThread && record.conversationType === 'channel') {
        const { threadId } = await transport.startThread(record, activity);
        return { status: 'sent', activityId: threadId, threadId };
      }
      const { id } = await transport.send(record, activity, target.replyToId);
      return { status: 'sent', activityId: id };
    });
    if (sent.status !== 'failed' || !sent.messageGone || !target.replyToId) return sent;
    this.options.logger?.warn({ conversationId: target.conversationId, replyToId: target.replyToId }, 'reply refused (its thread\'s first message deleted?): posted as a new thread');
    return this.send({ conversationId: target.conversationId, newThread: true }, activity);
  }

  /** Replaces a message the bot sent. A 404 here means the message was deleted, not the conversation. */
  update(conversationId: string, activityId: string, activity: OutboundActivity): Promise<DeliveryResult> {
    return this.deliver(conversationId, 'update', async (record, transport) => {
      await transport.update(record, activityId, activity);
      return { status: 'sent', activityId };
    });
  }

  private async deliver(
    conversationId: string, kind: 'send' | 'reply' | 'update',
    attempt: (record: ConversationRecord, transport: ConversationTransport) => Promise<DeliveryResult>,
  ): Promise<DeliveryResult> {
    // Places taken at the call, before the reference is read: a store that answers some reads later than others does not
    // reorder the sends, and one retried after a 429 goes ahead of those queued since, so a burst does not make it wait twice.
    const places = { conversation: this.conversationLimiter.place(), tenant: this.tenantLimiter.place() };
    let record: ConversationRecord | undefined;
    try {
      record = await this.options.refs.get(conversationId);
    } catch (err) {
      // The state store not answering says nothing about the conversation: try again later, forget nothing.
      this.options.logger?.warn({ err, conversationId, kind }, 'conversation reference not readable; message not delivered');
      return { status: 'failed', reason: 'the state store did not answer', unavailable: true };
    }
    if (!record) return this.gone(conversationId, 'no conversation reference (the bot was never added there, or was removed)');
    try {
      return await this.policy.execute(async () => {
        await this.conversationLimiter.acquire(conversationId, places.conversation);
        await this.tenantLimiter.acquire(record.tenantId ?? '', places.tenant);
        return attempt(record, this.options.transport);
      });
    } catch (err) {
      const status = err instanceof DeliveryError ? err.status : undefined;
      const reason = err instanceof DeliveryError ? `${err.status ?? 'network'} ${err.code ?? ''} ${err.message}`.trim() : String(err);
      if (status === 403 || (status === 404 && kind === 'send')) return this.gone(conversationId, reason, record.teamId);
      this.options.logger?.warn({ conversationId, kind, reason }, 'proactive message not delivered');
      return { status: 'failed', reason, unavailable: status === undefined || RETRYABLE.has(status), ...(status === 404 && { messageGone: true }) };
    }
  }

  private async gone(conversationId: string, reason: string, teamId?: string): Promise<DeliveryResult> {
    this.options.logger?.warn({ conversationId, reason }, 'conversation gone: reference dropped, no more messages there');
    try {
      await this.options.refs.remove(conversationId);
      await this.options.onGone?.(conversationId, teamId);
    } catch (err) {
      this.options.logger?.error({ err, conversationId }, 'could not forget a gone conversation');
    }
    return { status: 'gone', reason };
  }
}
