import type { Execution } from '../integration/port';
import type { WatchAlert } from './watchAlert';
import type { Watch } from './watchStore';
import type { Said } from '../words/words';
import type { Speech } from '../words/saidSchema';

/** The watcher's bookkeeping on a watch; `undefined` clears a field. */
export type WatchChange = Partial<Pick<Watch, 'threadActivityId' | 'scheduleActiveSince' | 'stalledAt' | 'signInNeededAt' | 'unreadableAt' | 'longRunNoted' | 'goingWhenWatched'>>;

/** What is written once a message went out (or at once, for the decision's own records). */
export interface WatchWrites {
  /** Executions recorded as reported: never reported again. */
  reported?: string[];
  /** "Run now" runs whose card needs no more updates. */
  finishedPending?: string[];
  change?: WatchChange;
}

/** One message to send: into the project's thread, or over a run's "running" card. */
export interface AlertMessage {
  /** Unique per alert: the same alert is never queued twice. */
  key: string;
  watch: Watch;
  to: { thread: true } | { card: string };
  alert: WatchAlert;
  summary?: Said;
  /** Whose language and time zone it speaks when not the watch's: a "Run now" card's result speaks as its clicker did. */
  speaks?: Speech;
  /** The run whose first rejected records are named before the message goes out. */
  nameRecordsOf?: Execution;
  /** Written once the connector took the message. */
  onSent: WatchWrites;
}

/** The outbox key of a watch's message. */
export const messageKey = (watch: Pick<Watch, 'conversationId' | 'projectName'>, what: string): string => `${watch.conversationId}|${watch.projectName}|${what}`;
