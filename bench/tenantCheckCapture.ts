import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry, harOf, INTEGRATOR, leaksIn, secretEntries } from '../test/tenantCheck/hostileCapture';

/**
 * `npm run tenant-check -- --har <50 MB capture> --json --out <dir>` as an admin runs it, on a capture
 * with what admin-center captures hold (300 KB base64 thumbnails, 2 MB URLs) and long runs of the
 * characters that made the old e-mail pattern quadratic. Against a baseline measured in the same
 * rounds: a process that only reads and parses the same file.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const MEGABYTES = Number(process.env.BENCH_CAPTURE_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOALS = { seconds: 15, megabytes: 1024 };
const KB = 1024;

const blob = (bytes: number) => crypto.randomBytes(bytes).toString('base64');
/** Runs of the characters each old pattern backtracked over: word characters, dots, `@`, `%40`, `key=`. */
const adversarial = (length: number) => ['a', 'a.', 'a@', '%40', 'key=', 'eyJ.', '"sig":"'].map((unit) => unit.repeat(Math.ceil(length / 7 / unit.length))).join(' ');

/** The capture: the fixture session and the planted secrets, thumbnails, long URLs, long messages, then filler up to the size. */
function capture(file: string): void {
  const matching = (JSON.parse(fs.readFileSync(path.join(ROOT, 'test/tenantCheck/fixtures/matching.har'), 'utf8')) as { log: { entries: [] } }).log.entries;
  const entries = [...matching, ...secretEntries()];
  for (let i = 0; i < 40; i += 1) {
    entries.push(entry('GET', `https://make.powerapps.com/thumbnails/${i}.png`, 200, blob(225 * KB), { base64: true }));
    entries.push(entry('GET', `${INTEGRATOR}api/Project/Thumb${i}`, 200, JSON.stringify({ name: `Thumb${i}`, entityMappingTasks: [], thumbnail: `data:image/png;base64,${blob(225 * KB)}` })));
  }
  const long = 2 * KB * KB;
  entries.push(entry('GET', `https://api.powerapps.com/providers/Microsoft.PowerApps/scopes/admin/environments/e1/connections?$filter=${'a'.repeat(long)}`, 200, '{"value":[]}'));
  entries.push(entry('GET', `${INTEGRATOR}api/Search/${'b'.repeat(long)}`, 200, '{}'));
  entries.push(entry('GET', `${INTEGRATOR}api/Search?q=${encodeURIComponent(adversarial(long))}`, 200, '{}'));
  entries.push(entry('GET', `${INTEGRATOR}api/ProjectSummary`, 500, JSON.stringify({ error: { message: adversarial(long) } })));
  entries.push(entry('POST', `${INTEGRATOR}api/Notes/One`, 200, JSON.stringify({ note: adversarial(long), blob: blob(225 * KB) })));
  const size = () => entries.reduce((n, e) => n + JSON.stringify(e).length, 0);
  const filler = [...matching];
  const per = JSON.stringify(filler).length;
  for (let missing = MEGABYTES * KB * KB - size(); missing > 0; missing -= per) entries.push(...filler);
  fs.writeFileSync(file, harOf(entries));
}

/** A process's wall time and peak resident memory (read by the process itself as it exits). */
function measured(args: string[]): { seconds: number; megabytes: number; stdout: string; code: number | null } {
  const peak = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`))';
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', peak, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * KB * KB });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const maxRss = Number(/maxrss (\d+)/.exec(run.stderr)?.[1] ?? NaN);
  return { seconds, megabytes: maxRss / KB, stdout: run.stdout, code: run.status };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tenant-check-'));
  const file = path.join(dir, 'capture.har');
  try {
    capture(file);
    const fileMb = fs.statSync(file).size / KB / KB;
    console.log(`capture: ${fileMb.toFixed(1)} MB (80 thumbnails of 300 KB base64, 2 MB URLs and messages); ${ROUNDS} rounds, baseline and check alternating`);
    const check: ReturnType<typeof measured>[] = [];
    const baseline: ReturnType<typeof measured>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const out = path.join(dir, `out-${round}`);
      const pair = [
        () => baseline.push(measured(['-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`])),
        () => check.push(measured([path.join(ROOT, 'dist/tools/tenantCheck/main.js'), '--har', file, '--json', '--out', out])),
      ];
      (round % 2 === 0 ? pair : pair.reverse()).forEach((run) => run());
      const written = fs.readdirSync(path.join(out, 'recordings')).map((f) => fs.readFileSync(path.join(out, 'recordings', f), 'utf8'));
      const leaks = [check.at(-1)!.stdout, ...written].flatMap(leaksIn);
      if (check.at(-1)!.code !== 1 || leaks.length > 0) throw new Error(`round ${round}: exit ${check.at(-1)!.code}, leaked ${leaks.join(', ') || 'nothing'}`);
    }
    const seconds = median(check.map((r) => r.seconds));
    const megabytes = Math.max(...check.map((r) => r.megabytes));
    const base = { seconds: median(baseline.map((r) => r.seconds)), megabytes: Math.max(...baseline.map((r) => r.megabytes)) };
    console.log(`tenant-check   ${seconds.toFixed(1)} s (goal < ${GOALS.seconds} s)   peak RSS ${megabytes.toFixed(0)} MB (goal < ${GOALS.megabytes} MB)   no planted secret in stdout or recordings`);
    console.log(`baseline      ${base.seconds.toFixed(1)} s, peak RSS ${base.megabytes.toFixed(0)} MB (read and JSON.parse the file only): the check takes ${(seconds / base.seconds).toFixed(1)}x the time, ${(megabytes / base.megabytes).toFixed(1)}x the memory`);
    console.log(seconds < GOALS.seconds && megabytes < GOALS.megabytes ? 'GOALS MET' : 'GOALS MISSED');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
