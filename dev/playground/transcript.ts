import { EventEmitter } from 'node:events';
import { ConnectorCall } from './localConnector';

/** One thing the page shows: a message a person typed, or a call the bot made to the connector. */
export interface TranscriptEntry {
  seq: number;
  kind: ConnectorCall['kind'] | 'user';
  conversationId: string;
  activityId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  at: number;
}

/**
 * The playground's conversations in order, kept in memory (the last `limit` entries) so that a
 * page that connects or reloads sees the history; emits "entry" for each new one.
 */
export class Transcript extends EventEmitter {
  private readonly entries: TranscriptEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 2000) {
    super();
  }

  /** Appends an entry and tells the listeners. */
  add(entry: Omit<TranscriptEntry, 'seq'>): TranscriptEntry {
    const added = { ...entry, seq: ++this.seq };
    this.entries.push(added);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.emit('entry', added);
    return added;
  }

  /** Appends what the bot sent through the connector. */
  addCall(call: ConnectorCall): TranscriptEntry {
    const { kind, conversationId, activityId, replyToId, activity, at } = call;
    return this.add({ kind, conversationId, activityId, replyToId, activity, at });
  }

  /** Every entry still kept, oldest first. */
  all(): readonly TranscriptEntry[] {
    return this.entries;
  }
}
