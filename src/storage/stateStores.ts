import type { Storage } from 'botbuilder';
import type { ApprovalStore } from '../scheduleApprovals/approvalStore';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import type { DataflowWatchRecords } from '../notifications/dataflowWatchStore';
import type { WatchRecords } from '../notifications/watchStore';
import type { FlowLocks } from '../locks/flowLocks';

/** Decides whether this instance is the one that polls runs and sends alerts. */
export interface Leadership {
  /** Calls `onGain` when this instance becomes the leader and `onLoss` the moment it stops being one. */
  start(onGain: () => void, onLoss: () => void): void;
  /** Whether this instance may send alerts right now. */
  isLeader(): boolean;
  /** Who holds the lead, as /readyz reports it (only where instances compete for it); `signal` cancels the read. */
  holder?(signal?: AbortSignal): Promise<'this instance' | 'another instance' | 'nobody'>;
  stop(): Promise<void>;
}

/** A bot state value as stored: its text, and the eTag of that version. */
export interface StoredText { text: string; eTag: string }

/**
 * Bot and dialog state (botbuilder's) as a backend keeps it: written as botbuilder writes it (JSON, over an eTag),
 * read as the text stored, so that what reads back is decided in one place for every backend (readableState.ts).
 */
export interface BotStateStore extends Pick<Storage, 'write' | 'delete'> {
  /** The stored text of each key that has a value. */
  readTexts(keys: string[]): Promise<Record<string, StoredText>>;
  /**
   * Moves `key`'s value, as `read`, to `asideKey`, leaving `rest` (a text, with a new eTag) under `key` when given, and
   * nothing there when not; false, and nothing moved or written, when the value changed or went since it was read.
   */
  setAside(key: string, read: StoredText, asideKey: string, rest?: string): Promise<boolean>;
  /** Deletes the values set aside before `before` (readableState.ts), the oldest first, at most `max`; returns how many. */
  pruneSetAside(before: Date, max: number): Promise<number>;
}

/** Every store the bot keeps its state in, on one backend (STATE_STORE). */
export interface StateStores {
  kind: 'sqlite' | 'azure';
  /** Bot and dialog state (botbuilder's, through readableState). */
  storage: BotStateStore;
  refs: ConversationReferenceStore;
  approvals: ApprovalStore;
  watches: WatchRecords;
  /** Dataflow watches, their report records and the environments' read cursors. */
  dataflowWatches: DataflowWatchRecords;
  flowLocks: FlowLocks;
  leadership: Leadership;
  close(): Promise<void>;
}

/** One process is always its own leader (the embedded default has one instance). */
export const soleInstance: Leadership = {
  start: (onGain) => onGain(),
  isLeader: () => true,
  stop: async () => undefined,
};

/** The state store did not answer in time, or failed on its side (a network error, a 5xx): nothing that a retry later would not fix. */
export class StateStoreUnavailable extends Error {
  override readonly name = 'StateStoreUnavailable';
}

/**
 * A bot state value this turn read no longer reads back, and was set aside (readableState.ts): the turn is answered
 * that it was, and the next one reads nothing there.
 */
export class StateSetAside extends Error {
  override readonly name = 'StateSetAside';
  constructor(readonly key: string) {
    super(`The bot state value of "${key}" no longer reads back and was set aside.`);
  }
}

/** Thrown when a bot state write carries an eTag that no longer matches the stored item (Blob storage's 412). */
export class ETagConflictError extends Error {
  readonly statusCode = 412;
  constructor(readonly key: string) {
    super(`Storage write conflict on "${key}": the item changed since it was read (stale eTag).`);
  }
}
