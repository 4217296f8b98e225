import { ZodError } from 'zod';
import type { Logger } from '../logger';

/** Where a stored record that no longer reads back is reported: its table and key (never its body: it may hold anything), and why. */
export type UnreadableRecord = (record: { table: string; key: string }, err: unknown) => void;

/** What is logged of why: the error's kind and, for a schema, which fields (never their values: a body may hold anything). */
export function whyOf(err: unknown): { reason: string; fields?: string[] } {
  if (err instanceof ZodError) return { reason: 'schema', fields: err.issues.map((i) => `${i.path.join('.')} (${i.code})`) };
  return { reason: err instanceof Error ? err.name : 'error' };
}

/** Reports to the log, with the record's table and key. */
export const unreadableTo = (logger: Logger): UnreadableRecord => (record, err) =>
  logger.warn({ ...record, ...whyOf(err) }, 'a stored record no longer reads back: left out until it is fixed or removed');

/** Without a logger (a store opened on its own, as by a script or a test): a process warning. */
export const warnUnreadable: UnreadableRecord = ({ table, key }, err) =>
  process.emitWarning(`${table} ${key}: a stored record no longer reads back and is left out (${whyOf(err).reason})`);

/**
 * Reads listed rows one by one: a row that no longer parses (hand-edited, cut short, or written by a newer release
 * and read after a roll-back) is left out and reported, so that one bad record does not hide all the others (a poll
 * that read every watch at once stopped every conversation's alerts for one).
 */
export function readEach<R, T>(rows: Iterable<R>, read: (row: R) => T, where: { table: string; keyOf: (row: R) => string }, unreadable: UnreadableRecord): T[] {
  const records: T[] = [];
  for (const row of rows) {
    try {
      records.push(read(row));
    } catch (err) {
      unreadable({ table: where.table, key: where.keyOf(row) }, err);
    }
  }
  return records;
}
