import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/** The bot's embedded database (one SQLite file under DATA_DIR). */
export type BotDatabase = Database.Database;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS state (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     etag TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS conversation_refs (
     conversation_id TEXT PRIMARY KEY,
     tenant_id TEXT,
     team_id TEXT,
     channel_id TEXT NOT NULL,
     conversation_type TEXT,
     service_url TEXT NOT NULL,
     reference TEXT NOT NULL,
     welcomed_at TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS conversation_refs_team ON conversation_refs(team_id);`,
  // IF NOT EXISTS: before this migration the approval and watch stores created these tables themselves.
  `CREATE TABLE IF NOT EXISTS schedule_approvals (
     id TEXT PRIMARY KEY,
     project_name TEXT NOT NULL,
     status TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     schedule_state TEXT,
     body TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS schedule_approvals_project ON schedule_approvals(project_name, status);
   CREATE TABLE IF NOT EXISTS schedule_approval_cards (
     request_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     activity_id TEXT NOT NULL,
     PRIMARY KEY (request_id, conversation_id, activity_id)
   );
   CREATE TABLE IF NOT EXISTS schedule_approval_audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     project_name TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS schedule_approval_audit_project ON schedule_approval_audit(project_name);
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
   );`,
  // A turn of a person's setup flow holds this lock while it runs (BotState writes with eTag '*').
  `CREATE TABLE IF NOT EXISTS flow_locks (
     key TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  // Pruning old report records scans by age.
  `CREATE INDEX IF NOT EXISTS run_watch_reports_age ON run_watch_reports(reported_at);`,
  // Every message of a conversation reads its watches (to revive gone ones): without this, a scan of them all.
  `CREATE INDEX IF NOT EXISTS run_watches_conversation ON run_watches(conversation_id, project_name);`,
  // Dataflow watches beside the project watches: their report records, and one read cursor per environment.
  `CREATE TABLE dataflow_watches (
     dataflow_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (dataflow_id, conversation_id)
   );
   CREATE INDEX dataflow_watches_conversation ON dataflow_watches(conversation_id, dataflow_id);
   CREATE TABLE dataflow_watch_reports (
     dataflow_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     refresh_id TEXT NOT NULL,
     reported_at TEXT NOT NULL,
     PRIMARY KEY (dataflow_id, conversation_id, refresh_id)
   );
   CREATE INDEX dataflow_watch_reports_age ON dataflow_watch_reports(reported_at);
   CREATE TABLE dataflow_cursors (
     environment TEXT PRIMARY KEY,
     ended_at TEXT NOT NULL
   );`,
  // A watch is written only over the version it was read at (WatchStore re-reads and re-applies otherwise).
  `ALTER TABLE run_watches ADD COLUMN version INTEGER NOT NULL DEFAULT 0;`,
  // Dataflow watches too (DataflowWatchStore goes through the same WatchChanges).
  `ALTER TABLE dataflow_watches ADD COLUMN version INTEGER NOT NULL DEFAULT 0;`,
  // What a request still needs the bot to do on its own (followUpOf): the sweep saves approved schedules that were
  // never saved (an instance stopped first) and tells outcomes once. An older approval left unsaved is picked up;
  // an older outcome was told already (or too long ago to tell now).
  `ALTER TABLE schedule_approvals ADD COLUMN follow_up TEXT;
   UPDATE schedule_approvals SET follow_up = 'save' WHERE status = 'approved' AND (schedule_state IS NULL OR schedule_state = 'applying');
   CREATE INDEX schedule_approvals_follow_up ON schedule_approvals(follow_up);`,
];

/** Opens (creating if needed) `${dataDir}/bot.sqlite` and applies pending migrations. */
export function openBotDatabase(dataDir: string, fileName = 'bot.sqlite'): BotDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma(`busy_timeout = ${BUSY_MS}`);
  useWal(db);
  migrate(db);
  return db;
}

const BUSY_MS = 5000;

/**
 * Turns WAL on. The switch needs the file to itself, and SQLite answers it "busy" at once, without the busy timeout,
 * while another process opens the same file: so it is tried again, 20 ms apart, for up to the busy timeout.
 */
function useWal(db: BotDatabase): void {
  const until = Date.now() + BUSY_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // opening is synchronous: a blocking pause
    }
  }
}

/**
 * Applies the pending migrations, each in an IMMEDIATE transaction that reads user_version inside it: two processes
 * opening the same file at once (a restart overlapping the old process, migrate-state beside the bot) take turns,
 * and the second finds the step done instead of applying it again ("table … already exists").
 */
function migrate(db: BotDatabase): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= MIGRATIONS.length) return; // up to date: no write lock taken
  const step = db.transaction((): boolean => {
    const v = version();
    if (v >= MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) { /* the next migration */ }
}
