// Counts that read right for 1, rendered with the catalogue in both languages.
import { Words } from '../../src/words/words';

const en = new Words('en');
const de = new Words('de');

test('a dataflow table with one error: "1 error", not "1 errors"', () => {
  expect(en.card('dataflow.table.line', { table: 'account', inserted: 0, upserted: 1, errors: 1, errorCount: 1 })).not.toMatch(/\b1 errors\b/);
});

test('a digest row of a run with one upsert and one error: "1 upsert, 1 error" (and "1 Upsert" in German)', () => {
  const figures = { when: 'today', upserts: 1, errors: 1 };
  expect(en.card('digest.detail', figures)).toBe('today: 1 upsert, 1 error');
  expect(de.card('digest.detail', figures)).toBe('today: 1 Upsert, 1 Fehler');
});

test('a digest of 16 runs (one more than it lists) counts what it shows of all: "15 of 16 runs"', () => {
  expect(en.card('digest.someShown', { shown: 15, total: 16 })).toMatch(/^Showing 15 of 16 runs:/);
  expect(de.card('digest.someShown', { shown: 15, total: 16 })).toMatch(/^Hier stehen 15 von 16 Läufen:/);
});

test('a table whose error count is unknown still reads: "? errors"', () => {
  expect(en.card('dataflow.table.line', { table: 'account', inserted: 0, upserted: 1, errors: '?', errorCount: 0 })).toMatch(/\? errors$/);
});
