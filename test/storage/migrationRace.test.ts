import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/build';
import { tempDataDir } from '../helpers/harness';

/**
 * Two processes opening the same database that needs migrations (a restart overlapping the old process,
 * migrate-state started beside the bot; here a new file) both start: each migration runs once, the other process
 * finds it done. Before, both read the same user_version and applied the same steps, and the second died on a
 * step that cannot run twice (CREATE TABLE dataflow_watches: "table … already exists").
 */
const opener = (dir: string, go: string) => `
const fs = require('node:fs');
const { openBotDatabase } = require(${JSON.stringify(path.join(ROOT, 'dist/src/storage/database.js'))});
while (!fs.existsSync(${JSON.stringify(go)})) {}
try { openBotDatabase(${JSON.stringify(dir)}).close(); console.log('ok'); } catch (err) { console.log('failed: ' + err.message); }
`;

function run(dir: string, go: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', opener(dir, go)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('exit', () => resolve(out.trim()));
  });
}

describe('two processes opening one database that needs migrations', () => {
  test('both open it', async () => {
    ensureBuilt();
    const outcomes: string[] = [];
    for (let trial = 0; trial < 8; trial++) {
      const dir = tempDataDir();
      const go = path.join(dir, 'go');
      const both = [run(dir, go), run(dir, go)];
      await new Promise((r) => setTimeout(r, 700)); // both loaded and spinning
      fs.writeFileSync(go, '');
      outcomes.push(...(await Promise.all(both)));
    }
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  }, 120_000);
});
