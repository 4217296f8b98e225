import type { CardAttachment } from '../render/cardRenderer';
import type { ConversationRecord } from './conversationReferenceStore';

/** A message the bot sends on its own: text and/or cards, optionally with @mentions. */
export interface OutboundActivity {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: CardAttachment[];
  entities?: Array<{ type: string } & Record<string, unknown>>;
}

/** A failed delivery as the transport reports it, free of the SDK's error types. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    /** HTTP status from the Bot Connector; absent for network faults. */
    readonly status?: number,
    /** The connector's error code, e.g. `BotNotInConversationRoster`. */
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Delivers to a known conversation; the Bot Framework implementation lives in src/bot/proactive.ts.
 * Every method rejects with DeliveryError.
 */
export interface ConversationTransport {
  /** Posts to the conversation, as a reply to `replyToId` when given (a channel thread, a card). */
  send(record: ConversationRecord, activity: OutboundActivity, replyToId?: string): Promise<{ id?: string }>;
  /** Replaces a message the bot sent earlier. */
  update(record: ConversationRecord, activityId: string, activity: OutboundActivity): Promise<void>;
  /** Starts a new thread in a channel with `activity` as its first message; returns that message's id. */
  startThread(record: ConversationRecord, activity: OutboundActivity): Promise<{ threadId: string }>;
}
