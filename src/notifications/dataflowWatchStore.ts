import { z } from 'zod';
import type { Logger } from '../logger';
import { type KnownFields, type Stored, type VersionedWatchRecords, WatchChanges } from './watchChanges';
import { conversationsGoneWith, conversationWatchSchema, goneChange } from './watchStore';

/** End times of a dataflow's latest refreshes kept on its watch: enough to derive its usual interval. */
export const RECENT_ENDS_KEPT = 12;
/** Alert cards kept on a watch, to freeze when it stops: an older one keeps its buttons, and a click on one freezes it. */
export const ALERT_CARDS_KEPT = 50;
/** How long a watch whose dataflow was deleted is kept after it ended, so that a button of its alerts can say why. */
export const DELETED_WATCH_KEPT_MS = 90 * 86_400_000;

const guid = z.guid().transform((id) => id.toLowerCase());

/** A dataflow watched in one conversation, with the watcher's bookkeeping. Times are ISO 8601. Loose at every level, as a project watch is (watchStore.ts). */
export const dataflowWatchSchema = conversationWatchSchema.extend({
  dataflowId: guid,
  /** The name as listed when the watch began, then as the latest refresh read carries it (a dataflow renamed is followed). */
  dataflowName: z.string(),
  /** The environment as listed when the watch began: its Dataverse URLs are where the history is read. */
  environment: z.looseObject({ name: z.string().min(1), displayName: z.string(), instanceUrl: z.url(), instanceApiUrl: z.url() }),
  /** When that environment was listed and picked (picking it again renews it): the poll reads at the address picked last. */
  environmentAt: z.string().optional(),
  /** End times of the latest refreshes seen, oldest first (at most RECENT_ENDS_KEPT), whether reported or not. */
  recentEnds: z.array(z.string()).max(RECENT_ENDS_KEPT).optional(),
  /** The longest gap between two refreshes of the last two weeks, with the end that closed it (a weekend beyond the kept end times). */
  longestGap: z.looseObject({ ms: z.number().nonnegative(), endedAt: z.string() }).optional(),
  /** The latest refresh seen, for `status`. */
  lastRefresh: z.looseObject({ id: z.string(), status: z.string(), outcome: z.string(), endedAt: z.string() }).optional(),
  /** The messages of the latest alerts whose buttons act on this watch, oldest first: frozen once it stops. */
  alertCards: z.array(z.string()).max(ALERT_CARDS_KEPT).optional(),
  /** Set once the "cannot read these dataflows" note went out (Dataverse refused the bot, or reads kept failing), until they can be read again. */
  unreadableAt: z.string().optional(),
  /**
   * Set while the environment's complete listings leave the dataflow out (deleted?): `since` the first such listing,
   * `amongOthers` the first of them that still listed other dataflows. Cleared once it is listed or refreshes again.
   */
  missing: z.looseObject({ since: z.string(), amongOthers: z.string().optional() }).optional(),
  /**
   * Set when the watch ended because its environment no longer has the dataflow (said in its thread, or, muted, not):
   * it is no longer polled nor listed by `status`, and is kept for DELETED_WATCH_KEPT_MS only so that a button of one of
   * its alerts can say the dataflow no longer exists. Watching it again clears it.
   */
  deletedAt: z.string().optional(),
});
export type DataflowWatch = KnownFields<z.infer<typeof dataflowWatchSchema>>;

/** The key of a dataflow watch: one per dataflow and conversation. */
export type DataflowWatchKey = Pick<DataflowWatch, 'dataflowId' | 'conversationId'>;

/** What starts (or changes) a dataflow watch. */
export type DataflowWatchInput = Pick<DataflowWatch, 'dataflowId' | 'dataflowName' | 'environment' | 'conversationId' | 'owner'>
  & Partial<Pick<DataflowWatch, 'threadActivityId' | 'notifyLevel' | 'since' | 'speaks'>>;

/** The watcher's bookkeeping on a dataflow watch; an `undefined` value clears the field. */
export type DataflowBookkeeping = Partial<Pick<DataflowWatch, 'dataflowName' | 'threadActivityId' | 'recentEnds' | 'longestGap' | 'lastRefresh' | 'stalledAt' | 'unreadableAt' | 'missing' | 'deletedAt'>>;

/** A dataflow watch as read, with its version. */
export type StoredDataflowWatch = Stored<DataflowWatch>;

/**
 * Where dataflow watches, their report records and the per-environment cursors are kept: SQLite and Azure Tables
 * implement it, beside the project watches. A watch is written whole, and only over the version it was read at (as
 * a project watch is); a report record, once written, stays until pruned; a cursor only moves forward.
 */
export interface DataflowWatchRecords extends VersionedWatchRecords<DataflowWatchKey, DataflowWatch> {
  /** Removes a watch if it is still at `version` (its report records stay until pruned); false when another write came first or it is gone. */
  remove(key: DataflowWatchKey, version: string): Promise<boolean>;
  /** Every watch, or those of one conversation, ordered by conversation then dataflow id. */
  list(conversationId?: string): Promise<DataflowWatch[]>;
  /** Which of `refreshIds` were already reported for the watch. */
  reported(key: DataflowWatchKey, refreshIds: readonly string[]): Promise<Set<string>>;
  markReported(key: DataflowWatchKey, refreshIds: readonly string[], at: string): Promise<void>;
  /** Deletes report records older than `before`, or a bounded part of them (the rest at later calls); returns how many. */
  pruneReports(before: string): Promise<number>;
  /** The end time up to which an environment's refreshes were read, if ever. */
  cursor(environmentName: string): Promise<string | undefined>;
  /** Moves an environment's cursor to `endedAt` unless it is already later. */
  advanceCursor(environmentName: string, endedAt: string): Promise<void>;
}

/**
 * What a watch picked again keeps of the one it had. A watch still running keeps all of it (a new level or language
 * changes only that). One that ended with its dataflow deleted keeps only its thread and its alert cards, and starts
 * again as a new watch would: from now (`since`), with no stall, no count of listings without it, and no end times or
 * longest gap from before (the day or months it was not polled are no interval of its). Its environment's cursor did
 * not move while nothing there was watched, so its first poll reads every refresh since it ended: from the old `since`
 * each would be alerted, one card each. The thread is kept because it is this dataflow's thread in the channel, where
 * "no longer exists ... pick it again" was said and where its older alerts are: their buttons act on this watch
 * again, and Stop watching freezes them with the rest.
 */
function carriedOver(existing: DataflowWatch | undefined): Partial<DataflowWatch> | undefined {
  if (!existing?.deletedAt) return existing;
  const { threadActivityId, alertCards } = existing;
  return { ...(threadActivityId ? { threadActivityId } : {}), ...(alertCards ? { alertCards } : {}) };
}

/** The key as stored: a dataflow's id in lower case, however it was typed or listed. */
const keyOf = (key: DataflowWatchKey): DataflowWatchKey => ({ dataflowId: key.dataflowId.toLowerCase(), conversationId: key.conversationId });

/**
 * Watched dataflows, the refreshes already reported for each and each environment's cursor, over either backend.
 * Every change of a watch goes through WatchChanges, as a project watch's does: turns, the watcher and other
 * instances change the same watch without a lock, and none wipes out another's change.
 */
export class DataflowWatchStore {
  private readonly changes: WatchChanges<DataflowWatchKey, DataflowWatch>;

  /** `logger`: where a newer release's fields dropped to fit a stored record are named. */
  constructor(private readonly records: DataflowWatchRecords, private readonly now: () => Date = () => new Date(), logger?: Logger) {
    this.changes = new WatchChanges(records, dataflowWatchSchema, (key) => [key.dataflowId, key.conversationId], logger);
  }

  /**
   * Starts watching a dataflow in a conversation, or changes the watch it already has there (one per dataflow). One that
   * ended with its dataflow deleted starts afresh, as a dataflow picked for the first time (carriedOver).
   */
  async watch(input: DataflowWatchInput): Promise<DataflowWatch> {
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const asked = this.now().toISOString();
    const again = { goneAt: undefined, deletedAt: undefined, missing: undefined, environmentAt: asked };
    const { watch } = await this.changes.apply(keyOf(input), (existing) => dataflowWatchSchema.parse({ notifyLevel: 'all', since: asked, ...carriedOver(existing), ...given, ...again }));
    return watch!;
  }

  /** One watch. */
  async get(key: DataflowWatchKey): Promise<DataflowWatch | undefined> {
    return (await this.records.get(keyOf(key)))?.watch;
  }

  /** Watches the watcher polls: all but those whose conversation is gone or whose dataflow was deleted (muted ones too: they say nothing, but end when their dataflow is deleted). */
  async active(): Promise<DataflowWatch[]> {
    return (await this.records.list()).filter((w) => !w.goneAt && !w.deletedAt);
  }

  /** The watches of one conversation (for `status`), without those that ended with their dataflow deleted. */
  async inConversation(conversationId: string): Promise<DataflowWatch[]> {
    return (await this.records.list(conversationId)).filter((w) => !w.deletedAt);
  }

  /** Every refresh, failures only, or none; a watch that ended with its dataflow deleted is answered as it is, unchanged. */
  async setNotifyLevel(key: DataflowWatchKey, notifyLevel: DataflowWatch['notifyLevel']): Promise<DataflowWatch | undefined> {
    return (await this.changes.apply(keyOf(key), (w) => (w && !w.deletedAt ? { ...w, notifyLevel } : undefined))).watch;
  }

  /** Updates the watcher's bookkeeping (an `undefined` value clears the field), and keeps `alertCard`, an alert just posted, when given. */
  async update(key: DataflowWatchKey, change: DataflowBookkeeping, alertCard?: string): Promise<DataflowWatch | undefined> {
    if (!alertCard) return this.patch(key, change);
    const kept = (w: DataflowWatch) => [...(w.alertCards ?? []).filter((id) => id !== alertCard), alertCard].slice(-ALERT_CARDS_KEPT);
    return (await this.changes.apply(keyOf(key), (w) => w && { ...w, ...change, alertCards: kept(w) })).watch;
  }

  /**
   * Stops watching; answers the watch as it was when removed, or undefined when there was none (a second stop). A watch
   * that ended with its dataflow deleted is answered as it is and kept (its `deletedAt` says why, to the next click too).
   */
  async stop(key: DataflowWatchKey): Promise<DataflowWatch | undefined> {
    const k = keyOf(key);
    const { removed } = await this.changes.again(k, async () => {
      const read = await this.records.get(k);
      if (!read || read.watch.deletedAt) return { removed: read?.watch };
      return (await this.records.remove(k, read.version)) ? { removed: read.watch } : undefined;
    });
    return removed;
  }

  /** Removes the watches whose dataflow was deleted before `before` (their alerts' buttons then say only that it is not watched); returns how many. */
  async pruneDeleted(before: Date): Promise<number> {
    const expired = (w: DataflowWatch | undefined) => w?.deletedAt !== undefined && Date.parse(w.deletedAt) < before.getTime();
    let removed = 0;
    for (const w of (await this.records.list()).filter(expired)) {
      const read = await this.records.get(keyOf(w));
      if (read && expired(read.watch) && await this.records.remove(keyOf(w), read.version)) removed += 1;
    }
    return removed;
  }

  /** The bot was removed from the conversation (a channel of `teamId`, when known) or it no longer exists: skip its watches from now on. */
  async markConversationGone(conversationId: string, teamId?: string): Promise<number> {
    return this.changes.each(await this.inConversation(conversationId), goneChange(this.now().toISOString(), teamId));
  }

  /** The conversations whose watches (but those whose dataflow was deleted) went when the bot left the team. */
  async goneWithTeam(teamId: string): Promise<string[]> {
    return conversationsGoneWith((await this.records.list()).filter((w) => !w.deletedAt), teamId);
  }

  /** The bot is back in the conversation: watch there again. */
  async reviveConversation(conversationId: string): Promise<number> {
    return this.changes.each(await this.inConversation(conversationId), (w) => (w.goneAt ? { ...w, goneAt: undefined } : undefined));
  }

  /** Which of `refreshIds` were already reported for the watch. */
  reported(key: DataflowWatchKey, refreshIds: readonly string[]): Promise<Set<string>> {
    return this.records.reported(keyOf(key), refreshIds);
  }

  /** Records refreshes as reported (or deliberately not, e.g. a success under "failures only"): never reported again. */
  async markReported(key: DataflowWatchKey, refreshIds: readonly string[]): Promise<void> {
    if (refreshIds.length > 0) await this.records.markReported(keyOf(key), refreshIds, this.now().toISOString());
  }

  /** The end time up to which the environment's refreshes were read. */
  cursor(environmentName: string): Promise<string | undefined> {
    return this.records.cursor(environmentName);
  }

  /** Moves the environment's cursor forward (never back). */
  advanceCursor(environmentName: string, endedAt: string): Promise<void> {
    return this.records.advanceCursor(environmentName, new Date(endedAt).toISOString());
  }

  /** Forgets report records older than `olderThan`. */
  pruneReports(olderThan: Date): Promise<number> {
    return this.records.pruneReports(olderThan.toISOString());
  }

  private async patch(key: DataflowWatchKey, change: Partial<DataflowWatch>): Promise<DataflowWatch | undefined> {
    return (await this.changes.apply(keyOf(key), (w) => w && { ...w, ...change })).watch;
  }
}
