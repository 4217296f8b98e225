import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';
import { ATTRS, METRICS, SPANS } from '../../src/telemetry/names';

const doc = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
const known = new Set<string>([...Object.values(SPANS), ...Object.values(METRICS), ...Object.values(ATTRS)]);
/** Every `dibot.…` name the page uses (a name followed by `.<store>` and the like counts as its stem). */
const used = new Set([...doc.matchAll(/dibot\.[A-Za-z_.]*[A-Za-z_]/g)].map((m) => m[0]));

describe('docs/operations.md and the names the code emits (src/telemetry/names.ts)', () => {
  test('every span, metric and attribute name on the page is one the code emits', () => {
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  test('every span and metric the code emits is explained on the page', () => {
    expect([...Object.values(SPANS), ...Object.values(METRICS)].filter((name) => !used.has(name))).toEqual([]);
  });

  test('the Kusto queries use only emitted names', () => {
    const queries = [...doc.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const names = queries.flatMap((q) => [...q.matchAll(/"(dibot\.[^"]+)"/g)].map((m) => m[1]));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });
});
