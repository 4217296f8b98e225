import { z } from 'zod';
import type { Logger } from '../logger';
import { personSchema } from '../person';
import { speechSchema } from '../words/saidSchema';
import { type KnownFields, type Stored, type VersionedWatchRecords, WatchChanges } from './watchChanges';

/** Which run alerts a conversation gets for a project: all, failures and warnings, or none. */
export const notifyLevelSchema = z.enum(['all', 'failures', 'mute']);
export type NotifyLevel = z.infer<typeof notifyLevelSchema>;

// Stored watches are loose objects, at every level a change writes back: fields a newer release added (it runs beside
// this one during a slot swap or a rolling update, and stored them before a roll-back) are kept through this release's
// changes instead of being dropped, while every field this release knows is checked as strictly as before. Nothing here
// reads them: they reach no service call and no text.
/** A person as a watch stores them (its owner), with fields a newer release added. */
const storedPersonSchema = personSchema.loose();
/** A language and time zone as a watch stores them, with fields a newer release added. */
const storedSpeechSchema = speechSchema.loose();

/**
 * A run started from chat ("Run now") whose card shows "running": the watcher updates that card with the result, in
 * the words of whoever clicked (`speaks`; a record stored before it was kept speaks the watch's words).
 */
export const pendingRunSchema = z.looseObject({
  executionId: z.string().min(1), activityId: z.string().min(1), startedAt: z.string().optional(), speaks: storedSpeechSchema.optional(),
});
export type PendingRun = KnownFields<z.infer<typeof pendingRunSchema>>;

/**
 * How long the claim of a "Run now" holds from its last renewal (the start renews it while it goes on, until its card
 * is stored as pending): while its claim is open the lead holds back a thread alert of the project's runs, so a run that
 * ended at once still gets only its card. A start that died is forgotten after it, and its run alerted in the thread.
 */
export const RUN_START_MS = 60_000;

/** A "Run now" under way on a watch: `by` is the start's own id, `until` when it is given up. */
export const runStartClaimSchema = z.looseObject({ by: z.string().min(1), until: z.string() });
export type RunStartClaim = KnownFields<z.infer<typeof runStartClaimSchema>>;

/** What every watch holds, of a project or of a dataflow, in one conversation. Times are ISO 8601. */
export const conversationWatchSchema = z.looseObject({
  /** The conversation's base id (a channel, a group chat or a personal chat). */
  conversationId: z.string().min(1),
  /** The watched thing's thread in a channel: alerts reply to this message. */
  threadActivityId: z.string().optional(),
  /** Who asked for the watch (set the project up, picked the dataflow): for a project, whose sign-in the watcher reads its runs with. */
  owner: storedPersonSchema,
  /** The owner's language and time zone: the alerts speak them (English for a record without). */
  speaks: storedSpeechSchema.optional(),
  /** `all`: every run or refresh; `failures`: only those that did not succeed; `mute`: none. */
  notifyLevel: notifyLevelSchema,
  /** What ended before this is not reported (the history before the bot watched). */
  since: z.string(),
  /** Set while a "stalled" alert stands; cleared when it runs again. */
  stalledAt: z.string().optional(),
  /** Set when the conversation refused the bot (403/404): the watcher skips the watch. */
  goneAt: z.string().optional(),
  /**
   * The team whose channel the conversation is, recorded when the bot left it (removed from the team, or a channel's
   * refusal): adding the bot back to that team watches here again. Absent on chats, and on watches stored before.
   */
  teamId: z.string().optional(),
});
type ConversationWatch = KnownFields<z.infer<typeof conversationWatchSchema>>;

/**
 * The change that marks a watch gone at `at` (undefined: it already is). `teamId`: the conversation is a channel of
 * that team, which the bot left; it stays on the watch, so that the bot added back to the team finds the watch.
 */
export function goneChange(at: string, teamId?: string): <W extends ConversationWatch>(w: W) => W | undefined {
  return (w) => (w.goneAt && (!teamId || w.teamId === teamId) ? undefined : { ...w, goneAt: w.goneAt ?? at, ...(teamId ? { teamId } : {}) });
}

/** The conversations of `watches` whose watches went when the bot left the team `teamId`, each once. */
export function conversationsGoneWith(watches: readonly ConversationWatch[], teamId: string): string[] {
  return [...new Set(watches.filter((w) => w.goneAt && w.teamId === teamId).map((w) => w.conversationId))];
}

/** A project watched in one conversation, with the watcher's bookkeeping. */
export const watchSchema = conversationWatchSchema.extend({
  projectName: z.string().min(1),
  /** When the watcher first saw the current recurring schedule active. */
  scheduleActiveSince: z.string().optional(),
  /** Set once the "sign-in needed" card went out, until a token works again (dataflows are read with the bot's identity). */
  signInNeededAt: z.string().optional(),
  /** Set once the "cannot read this project's runs" note went out, until its runs can be read again. */
  unreadableAt: z.string().optional(),
  /** The run whose "still in progress after many hours" note went out: each run is told so once. */
  longRunNoted: z.string().optional(),
  /** Runs started from chat ("Run now") whose card shows "running": the watcher updates that card with the result. */
  pendingRuns: z.array(pendingRunSchema).optional(),
  /** "Run now" starts claimed before the service was called, whose card is not stored as pending yet. */
  runStarts: z.array(runStartClaimSchema).optional(),
  /**
   * Runs already going when the watch began that a look saw in progress (a few): told once they end, even without an end
   * time and after the lead changed; forgotten once reported.
   */
  goingWhenWatched: z.array(z.string().min(1)).optional(),
});
export type Watch = KnownFields<z.infer<typeof watchSchema>>;

/** Whether a "Run now" is being started on the watch (claimed, its card not stored yet): a run that ended may be its. */
export function startingRun(watch: Pick<Watch, 'runStarts'>, now: Date): boolean {
  return (watch.runStarts ?? []).some((s) => Date.parse(s.until) > now.getTime());
}

/** What starts a watch. */
export type WatchInput = Pick<Watch, 'projectName' | 'conversationId' | 'owner'> & Partial<Pick<Watch, 'threadActivityId' | 'notifyLevel' | 'since' | 'speaks'>>;

/** The key of a watch. */
export type WatchKey = Pick<Watch, 'projectName' | 'conversationId'>;

type Bookkeeping = Partial<Pick<Watch, 'threadActivityId' | 'scheduleActiveSince' | 'stalledAt' | 'signInNeededAt' | 'unreadableAt' | 'longRunNoted' | 'goingWhenWatched'>>;

/** A project watch as read, with its version. */
export type StoredWatch = Stored<Watch>;

/**
 * Where watches and report records are kept: SQLite and Azure Tables implement it. A watch is written
 * whole, and only over the version it was read at; a report record, once written, stays until pruned.
 */
export interface WatchRecords extends VersionedWatchRecords<WatchKey, Watch> {
  /** Every watch, or those of one conversation, ordered by conversation then project. */
  list(conversationId?: string): Promise<Watch[]>;
  /** Which of `executionIds` were already reported for the watch. */
  reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>>;
  markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void>;
  /** Deletes report records older than `before`, or a bounded part of them (the rest at later calls); returns how many. */
  pruneReports(before: string): Promise<number>;
}

/**
 * Watched projects and the executions already reported for each, over either backend. Every change of a
 * watch goes through WatchChanges, so that no writer wipes out another's change.
 */
export class WatchStore {
  private readonly changes: WatchChanges<WatchKey, Watch>;

  /** `logger`: where a newer release's fields dropped to fit a stored record are named. */
  constructor(private readonly records: WatchRecords, private readonly now: () => Date = () => new Date(), logger?: Logger) {
    this.changes = new WatchChanges(records, watchSchema, (key) => [key.projectName, key.conversationId], logger);
  }

  /**
   * Starts (or renews) watching a project in a conversation; what was reported there stays reported, and
   * so do runs pending on it. With `keep`, a watch that exists already is left as it is.
   */
  async watch(input: WatchInput, options: { keep?: boolean } = {}): Promise<Watch> {
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const asked = this.now().toISOString();
    // A watch written meanwhile (a "Run now" that came first) may start later than this one was asked for: the earlier counts.
    const since = (existing?: Watch) => (existing && Date.parse(existing.since) <= Date.parse(asked) ? existing.since : asked);
    const { watch } = await this.changes.apply(input, (existing) => (options.keep && existing ? undefined
      : watchSchema.parse({ notifyLevel: 'all', ...existing, since: since(existing), ...given, goneAt: undefined })));
    return watch!;
  }

  async get(key: WatchKey): Promise<Watch | undefined> {
    return (await this.records.get(key))?.watch;
  }

  /** Watches the watcher polls: all but those whose conversation is gone. */
  async active(): Promise<Watch[]> {
    return (await this.records.list()).filter((w) => !w.goneAt);
  }

  /** The watches of one conversation, e.g. to find a project by its name typed in any case. */
  inConversation(conversationId: string): Promise<Watch[]> {
    return this.records.list(conversationId);
  }

  setNotifyLevel(key: WatchKey, notifyLevel: NotifyLevel): Promise<Watch | undefined> {
    return this.patch(key, { notifyLevel });
  }

  /** Updates the watcher's bookkeeping; an `undefined` value clears the field. */
  update(key: WatchKey, change: Bookkeeping): Promise<Watch | undefined> {
    return this.patch(key, change);
  }

  /** The bot was removed from the conversation (a channel of `teamId`, when known) or it no longer exists: skip its watches from now on. */
  markConversationGone(conversationId: string, teamId?: string): Promise<number> {
    return this.markAll(conversationId, goneChange(this.now().toISOString(), teamId));
  }

  /** The conversations whose watches went when the bot left the team: adding it back watches there again. */
  async goneWithTeam(teamId: string): Promise<string[]> {
    return conversationsGoneWith(await this.records.list(), teamId);
  }

  /** The bot is back in the conversation (a message or a new install came from it): watch there again. */
  reviveConversation(conversationId: string): Promise<number> {
    return this.markAll(conversationId, (w) => (w.goneAt ? { ...w, goneAt: undefined } : undefined));
  }

  /** Which of `executionIds` were already reported for the watch. */
  reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>> {
    return this.records.reported(key, executionIds);
  }

  /** Records executions as reported (or deliberately not, e.g. muted): they are never reported again. */
  async markReported(key: WatchKey, executionIds: readonly string[]): Promise<void> {
    if (executionIds.length > 0) await this.records.markReported(key, executionIds, this.now().toISOString());
  }

  /**
   * Claims a "Run now" on the watch before the service is called (`by`: the start's own id), for RUN_START_MS unless renewed:
   * until its card is stored (addPendingRun) or it ends without one (endRunStart), the lead's thread alerts of the
   * project's runs in this conversation wait. Claims that ran out (a start that died) are dropped here.
   */
  async claimRunStart(key: WatchKey, by: string): Promise<void> {
    await this.changes.apply(key, (w) => w && this.withStarts(w, [...this.otherStarts(w, by), { by, until: this.claimedUntil() }]));
  }

  /**
   * The start `by` goes on (the service's retries, a throttled card post): its open claim holds for RUN_START_MS from now.
   * A claim given up (its card stored, or the start ended without one) or run out is not taken again.
   */
  async renewRunStart(key: WatchKey, by: string): Promise<void> {
    await this.changes.apply(key, (w) => {
      const mine = w?.runStarts?.find((s) => s.by === by && startingRun({ runStarts: [s] }, this.now()));
      return w && mine && this.withStarts(w, [...this.otherStarts(w, by), { ...mine, until: this.claimedUntil() }]);
    });
  }

  /** The start `by` ended without a card to update (refused, or its card not posted): the lead alerts its run in the thread. */
  async endRunStart(key: WatchKey, by: string): Promise<void> {
    await this.changes.apply(key, (w) => (w?.runStarts?.some((s) => s.by === by) ? this.withStarts(w, this.otherStarts(w, by)) : undefined));
  }

  /**
   * Remembers a run started from chat and the card that shows it running, so the result updates that card; in the same
   * write the start `by` gives up its claim, so the lead never sees the run neither claimed nor pending.
   */
  async addPendingRun(key: WatchKey, run: PendingRun, by?: string): Promise<Watch | undefined> {
    const { watch } = await this.changes.apply(key, (w) => w && this.withStarts(
      { ...w, pendingRuns: [...(w.pendingRuns ?? []).filter((r) => r.executionId !== run.executionId), run] },
      this.otherStarts(w, by),
    ));
    return watch;
  }

  /** The run's card was updated with its result (or the run was reported otherwise): forget it. */
  async removePendingRun(key: WatchKey, executionId: string): Promise<void> {
    await this.changes.apply(key, (w) => {
      if (!w?.pendingRuns?.some((r) => r.executionId === executionId)) return undefined;
      const rest = w.pendingRuns.filter((r) => r.executionId !== executionId);
      return { ...w, pendingRuns: rest.length > 0 ? rest : undefined };
    });
  }

  /** Forgets report records older than the service keeps history (45 days), so the table stays small. */
  pruneReports(olderThan: Date): Promise<number> {
    return this.records.pruneReports(olderThan.toISOString());
  }

  /** When a run start claimed or renewed now is given up, unless renewed again. */
  private claimedUntil(): string {
    return new Date(this.now().getTime() + RUN_START_MS).toISOString();
  }

  /** The open claims of other starts than `by`. */
  private otherStarts(w: Watch, by: string | undefined): RunStartClaim[] {
    return (w.runStarts ?? []).filter((s) => s.by !== by && startingRun({ runStarts: [s] }, this.now()));
  }

  private withStarts(w: Watch, runStarts: RunStartClaim[]): Watch {
    return { ...w, runStarts: runStarts.length > 0 ? runStarts : undefined };
  }

  private async patch(key: WatchKey, change: Partial<Watch>): Promise<Watch | undefined> {
    return (await this.changes.apply(key, (w) => w && { ...w, ...change })).watch;
  }

  /** Changes each watch of a conversation that `next` changes; returns how many it changed. */
  private async markAll(conversationId: string, next: (w: Watch) => Watch | undefined): Promise<number> {
    return this.changes.each(await this.inConversation(conversationId), next);
  }
}
