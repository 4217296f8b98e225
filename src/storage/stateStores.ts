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

/** Every store the bot keeps its state in, on one backend (STATE_STORE). */
export interface StateStores {
  kind: 'sqlite' | 'azure';
  /** Bot and dialog state (botbuilder). */
  storage: Storage;
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

/** Thrown when a bot state write carries an eTag that no longer matches the stored item (Blob storage's 412). */
export class ETagConflictError extends Error {
  readonly statusCode = 412;
  constructor(readonly key: string) {
    super(`Storage write conflict on "${key}": the item changed since it was read (stale eTag).`);
  }
}
