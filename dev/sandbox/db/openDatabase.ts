import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The sandbox's SQLite connection. */
export type SandboxDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS environments (name TEXT PRIMARY KEY COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connections (
  name TEXT PRIMARY KEY, environment TEXT NOT NULL COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS templates (name TEXT PRIMARY KEY COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connection_sets (name TEXT PRIMARY KEY COLLATE NOCASE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
  name TEXT PRIMARY KEY COLLATE NOCASE, data TEXT NOT NULL, ran_or_scheduled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS schedules (
  project_name TEXT PRIMARY KEY COLLATE NOCASE, every INTEGER, unit TEXT, paused INTEGER NOT NULL DEFAULT 0,
  next_run_at INTEGER, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  id TEXT PRIMARY KEY, project_name TEXT NOT NULL COLLATE NOCASE, trigger TEXT NOT NULL, status TEXT NOT NULL,
  submitted_at TEXT NOT NULL, started_at TEXT, ended_at TEXT, upserts INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0, legs TEXT NOT NULL, details TEXT);
CREATE INDEX IF NOT EXISTS executions_by_project ON executions (project_name, submitted_at);
CREATE TABLE IF NOT EXISTS record_errors (
  execution_id TEXT NOT NULL, leg INTEGER NOT NULL, record_id TEXT NOT NULL, field TEXT, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS record_errors_by_execution ON record_errors (execution_id);
CREATE TABLE IF NOT EXISTS entity_tables (
  id INTEGER PRIMARY KEY, environment TEXT NOT NULL COLLATE NOCASE, entity TEXT NOT NULL, UNIQUE (environment, entity));
CREATE TABLE IF NOT EXISTS entity_rows (
  table_id INTEGER NOT NULL REFERENCES entity_tables (id), record_id TEXT NOT NULL, key TEXT, data TEXT NOT NULL,
  modified_on TEXT NOT NULL, PRIMARY KEY (table_id, record_id)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS entity_rows_by_key ON entity_rows (table_id, key) WHERE key IS NOT NULL;
CREATE TABLE IF NOT EXISTS dataflow_rows (
  entity_set TEXT NOT NULL, environment TEXT NOT NULL COLLATE NOCASE, id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (entity_set, environment, id)) WITHOUT ROWID;
`;

/** Opens (and creates) `${dataDir}/sandbox.sqlite` with the sandbox schema. */
export function openDatabase(dataDir: string): SandboxDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'sandbox.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A run writes tens of megabytes: a larger cache and fewer checkpoints (each an fsync) keep it CPU-bound.
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}
