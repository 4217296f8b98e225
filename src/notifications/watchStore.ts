import { z } from 'zod';
import { personSchema } from '../person';
import { BotDatabase } from '../storage/database';

/** Which run alerts a conversation gets for a project: all, failures and warnings, or none. */
export const notifyLevelSchema = z.enum(['all', 'failures', 'mute']);
export type NotifyLevel = z.infer<typeof notifyLevelSchema>;

/** A project watched in one conversation, with the watcher's bookkeeping. Times are ISO 8601. */
export const watchSchema = z.object({
  projectName: z.string().min(1),
  /** The conversation's base id (a channel, a group chat or a personal chat). */
  conversationId: z.string().min(1),
  /** The project's thread in a channel: alerts reply to this message. */
  threadActivityId: z.string().optional(),
  /** Who set the project up: whose sign-in the watcher uses. */
  owner: personSchema,
  notifyLevel: notifyLevelSchema,
  /** Runs that ended before this are not reported (the history before the bot watched). */
  since: z.string(),
  /** When the watcher first saw the current recurring schedule active. */
  scheduleActiveSince: z.string().optional(),
  /** Set while a "schedule stalled" alert stands. */
  stalledAt: z.string().optional(),
  /** Set once the "sign-in needed" card went out, until a token works again. */
  signInNeededAt: z.string().optional(),
  /** Set when the conversation refused the bot (403/404): the watcher skips the watch. */
  goneAt: z.string().optional(),
});
export type Watch = z.infer<typeof watchSchema>;

/** What starts a watch. */
export type WatchInput = Pick<Watch, 'projectName' | 'conversationId' | 'owner'> & Partial<Pick<Watch, 'threadActivityId' | 'notifyLevel' | 'since'>>;

/** The key of a watch. */
export type WatchKey = Pick<Watch, 'projectName' | 'conversationId'>;

type Bookkeeping = Partial<Pick<Watch, 'threadActivityId' | 'scheduleActiveSince' | 'stalledAt' | 'signInNeededAt'>>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS run_watches (
    project_name TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (project_name, conversation_id)
  );
  CREATE TABLE IF NOT EXISTS run_watch_reports (
    project_name TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    execution_id TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    PRIMARY KEY (project_name, conversation_id, execution_id)
  );`;

const bodyRow = z.object({ body: z.string() });
const toWatch = (row: unknown): Watch => watchSchema.parse(JSON.parse(bodyRow.parse(row).body));

/** Watched projects and the executions already reported for each, in the bot's SQLite database. */
export class WatchStore {
  constructor(private readonly db: BotDatabase, private readonly now: () => Date = () => new Date()) {
    db.exec(SCHEMA);
  }

  /** Starts (or renews) watching a project in a conversation; what was reported there stays reported. */
  watch(input: WatchInput): Watch {
    const existing = this.get(input);
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const watch: Watch = watchSchema.parse({ notifyLevel: 'all', since: this.now().toISOString(), ...existing, ...given, goneAt: undefined });
    this.put(watch);
    return watch;
  }

  get(key: WatchKey): Watch | undefined {
    const row = this.db.prepare('SELECT body FROM run_watches WHERE project_name = ? AND conversation_id = ?').get(key.projectName, key.conversationId);
    return row ? toWatch(row) : undefined;
  }

  /** Watches the watcher polls: all but those whose conversation is gone. */
  active(): Watch[] {
    return this.db.prepare('SELECT body FROM run_watches ORDER BY conversation_id, project_name').all().map(toWatch).filter((w) => !w.goneAt);
  }

  /** The watches of one conversation, e.g. to find a project by its name typed in any case. */
  inConversation(conversationId: string): Watch[] {
    return this.db.prepare('SELECT body FROM run_watches WHERE conversation_id = ?').all(conversationId).map(toWatch);
  }

  setNotifyLevel(key: WatchKey, notifyLevel: NotifyLevel): Watch | undefined {
    return this.patch(key, { notifyLevel });
  }

  /** Updates the watcher's bookkeeping; an `undefined` value clears the field. */
  update(key: WatchKey, change: Bookkeeping): Watch | undefined {
    return this.patch(key, change);
  }

  /** The bot was removed from the conversation or it no longer exists: skip its watches from now on. */
  markConversationGone(conversationId: string): number {
    const watches = this.inConversation(conversationId).filter((w) => !w.goneAt);
    watches.forEach((w) => this.put({ ...w, goneAt: this.now().toISOString() }));
    return watches.length;
  }

  /** The bot is back in the conversation (a message or a new install came from it): watch there again. */
  reviveConversation(conversationId: string): number {
    const watches = this.inConversation(conversationId).filter((w) => w.goneAt);
    watches.forEach((w) => this.put({ ...w, goneAt: undefined }));
    return watches.length;
  }

  /** Which of `executionIds` were already reported for the watch. */
  reported(key: WatchKey, executionIds: readonly string[]): Set<string> {
    const stmt = this.db.prepare('SELECT 1 FROM run_watch_reports WHERE project_name = ? AND conversation_id = ? AND execution_id = ?');
    return new Set(executionIds.filter((id) => stmt.get(key.projectName, key.conversationId, id)));
  }

  /** Records executions as reported (or deliberately not, e.g. muted): they are never reported again. */
  markReported(key: WatchKey, executionIds: readonly string[]): void {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO run_watch_reports (project_name, conversation_id, execution_id, reported_at) VALUES (?, ?, ?, ?)');
    const at = this.now().toISOString();
    this.db.transaction(() => executionIds.forEach((id) => stmt.run(key.projectName, key.conversationId, id, at)))();
  }

  /** Forgets report records older than the service keeps history (45 days), so the table stays small. */
  pruneReports(olderThan: Date): number {
    return this.db.prepare('DELETE FROM run_watch_reports WHERE reported_at < ?').run(olderThan.toISOString()).changes;
  }

  private patch(key: WatchKey, change: Partial<Watch>): Watch | undefined {
    const watch = this.get(key);
    if (!watch) return undefined;
    const updated = watchSchema.parse({ ...watch, ...change });
    this.put(updated);
    return updated;
  }

  private put(watch: Watch): void {
    this.db.prepare('INSERT INTO run_watches (project_name, conversation_id, body) VALUES (?, ?, ?) ON CONFLICT(project_name, conversation_id) DO UPDATE SET body = excluded.body')
      .run(watch.projectName, watch.conversationId, JSON.stringify(watch));
  }
}
