import type { DataflowEnvironment, DataflowRefresh, TableRefresh } from '../integration/port';
import type { OutboundAttachment } from './outbound';
import type { ReplyText, Said, Words } from '../words/words';
import type { DataflowBookkeeping, DataflowWatch, DataflowWatchKey } from './dataflowWatchStore';

/** What the dataflow watcher has to tell a conversation about one watched dataflow; src/render turns each into a card. */
export type DataflowCardAlert =
  /** A refresh ended: its outcome and, when they could be read, the tables it loaded (undefined: not read). */
  | { kind: 'refresh'; dataflowId: string; dataflowName: string; environment: DataflowEnvironment; refresh: DataflowRefresh; tables?: TableRefresh[] }
  /** No refresh for three times the usual interval. */
  | { kind: 'stalled'; dataflowId: string; dataflowName: string; environment: DataflowEnvironment; lastRefreshAt: string; usualIntervalMs: number }
  /** The dataflow refreshes again after a stall. */
  | { kind: 'resumed'; dataflowId: string; dataflowName: string; environment: DataflowEnvironment; stalledAt: string; refreshEndedAt: string }
  /** The environment's refreshes cannot be read (its Dataverse refuses the bot's own identity, or its reads kept failing): `why`, and what to do. */
  | { kind: 'unreadable'; dataflowId: string; dataflowName: string; environment: DataflowEnvironment; why: Said; next: Said; more: number }
  /** The environment no longer lists the dataflow (deleted, or hidden from the bot): the watch ends with this alert. */
  | { kind: 'gone'; dataflowId: string; dataflowName: string; environment: DataflowEnvironment };

/**
 * Turns an alert into the message's card and its notification summary, in these words (the composition root passes the
 * renderer); `prepare`, when given, readies the first card a little per turn, so the poll's first alert is no long block.
 */
export type DataflowPresenter = ((alert: DataflowCardAlert, words: Words) => { attachment: OutboundAttachment; summary: ReplyText }) & { prepare?(): Promise<void> };

/** One message for a dataflow's thread (or chat), with what is written once the connector took it. */
export interface DataflowMessage {
  /** Unique per alert and conversation: the same alert is never queued twice. */
  key: string;
  watch: DataflowWatch;
  alert: DataflowCardAlert;
  /**
   * Written once the connector took the message (a `deletedAt` ends the watch: its dataflow no longer exists); `change`
   * also to the watches `alsoChanged` names (the conversation's other watches an unreadable note stands for).
   */
  onSent: { reported?: string[]; change?: DataflowBookkeeping; alsoChanged?: DataflowWatchKey[] };
  /** A refresh's tables, read when its alert is about to go (not while the poll reads): undefined when not readable. */
  tables?: () => Promise<TableRefresh[] | undefined>;
}

/** What the card shows of a watch (dataflow, environment). */
export function aboutWatch(watch: DataflowWatch): Pick<DataflowCardAlert, 'dataflowId' | 'dataflowName' | 'environment'> {
  return { dataflowId: watch.dataflowId, dataflowName: watch.dataflowName, environment: watch.environment };
}

/**
 * The "cannot read these dataflows" messages when the environment's Dataverse refuses the bot's own identity, or its
 * reads kept failing (`why`, and `next`: what an admin does): one per conversation, on its first watch, naming how many more wait
 * there; none in a conversation where one of them still carries `unreadableAt`, until a read works again and clears it.
 */
export function dataflowUnreadable(watches: readonly DataflowWatch[], { why, next }: { why: Said; next: Said }, now: Date): DataflowMessage[] {
  const byConversation = new Map<string, DataflowWatch[]>();
  for (const w of watches) byConversation.set(w.conversationId, [...(byConversation.get(w.conversationId) ?? []), w]);
  return [...byConversation.values()].flatMap((mine): DataflowMessage[] => {
    if (mine.some((w) => w.unreadableAt)) return [];
    const [watch, ...more] = mine as [DataflowWatch, ...DataflowWatch[]];
    const alert: DataflowCardAlert = { kind: 'unreadable', ...aboutWatch(watch), why, next, more: more.length };
    // Marked on every watch it names: one of them stopped (as an admin is told to do for a deleted environment), the
    // rest still say it was told, so the conversation does not hear it again about the next one.
    const alsoChanged = more.map(({ dataflowId, conversationId }) => ({ dataflowId, conversationId }));
    return [{ key: `${watch.conversationId}|dataflow|${watch.dataflowId}|unreadable`, watch, alert, onSent: { change: { unreadableAt: now.toISOString() }, alsoChanged } }];
  });
}
