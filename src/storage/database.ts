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
];

/** Opens (creating if needed) `${dataDir}/bot.sqlite` and applies pending migrations. */
export function openBotDatabase(dataDir: string, fileName = 'bot.sqlite'): BotDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: BotDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
