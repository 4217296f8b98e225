import type { ConversationRecord } from './conversationReferenceStore';

/** An attachment of a message, e.g. an Adaptive Card. */
export interface OutboundAttachment { contentType: string; content: unknown }

/** A message the bot sends on its own: text and/or cards, optionally with @mentions. */
export interface OutboundActivity {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: OutboundAttachment[];
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
 * Delivers to a known conversation; the Bot Framework implementation lives at the bot's edge.
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
