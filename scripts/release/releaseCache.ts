import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildRelease, Release, RELEASE_DIR } from './buildRelease';
import { PROJECT_ROUTES_FILE } from './releaseRoutes';

/**
 * Everything a release is made of: a change to any of these makes the next build:release compile again. The routes
 * file too, and its absence: a release is never reused with routes the project no longer holds, or without new ones.
 */
const INPUT_TREES = ['src', 'cards', 'scripts/release'];
const INPUT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'node_modules/.package-lock.json', PROJECT_ROUTES_FILE];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A digest of the release's inputs (sources, cards, the builder, installed packages) and of the Node that builds it. */
export function releaseInputsDigest(root: string): string {
  const hash = createHash('sha256').update(`${process.platform}-${process.arch}-${process.version}\n`);
  const files = [...INPUT_TREES.flatMap((t) => filesUnder(path.join(root, t))), ...INPUT_FILES.map((f) => path.join(root, f))];
  for (const file of files) {
    hash.update(`${path.relative(root, file)}\n`);
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : 'absent');
  }
  return hash.digest('hex');
}

/**
 * Holds `dir` as a lock while `work` runs, so that two builds (two test files, two terminals) never write one folder together.
 * Not proper-lockfile: it proves its holder alive by touching the lock on a timer, which a build that blocks the
 * event loop for a minute cannot do; the holder's pid can be checked instead.
 */
async function withLock<T>(dir: string, work: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!holderAlive(dir)) { fs.rmSync(dir, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`${dir} is held by another build for ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
  try { return await work(); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

/** Whether the process that took the lock still runs (a killed build must not block the next one forever). */
function holderAlive(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
  } catch {
    try { return Date.now() - fs.statSync(dir).mtimeMs < 10_000; } catch { return false; } // taken a moment ago, pid not written yet
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The stamp a finished build leaves next to its zip: the inputs it was built from and what it holds. */
interface Stamp { inputs: string; bytes: number; files: number; routes?: Release['routes'] }

/**
 * The release of `root` in dist/release: built as buildRelease does, or the one already there when it
 * was built from the same inputs (the stamp is written only after the zip is complete).
 */
export async function ensureRelease(root: string): Promise<Release & { reused: boolean }> {
  const outDir = path.join(root, RELEASE_DIR);
  const stampFile = path.join(outDir, 'inputs.json');
  return withLock(`${outDir}.lock`, async () => {
    const inputs = releaseInputsDigest(root);
    const folder = path.join(outDir, 'bot');
    const zipPath = path.join(outDir, 'bot.zip');
    const stamp = fs.existsSync(stampFile) ? (JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Partial<Stamp>) : undefined;
    if (stamp?.inputs === inputs && fs.existsSync(zipPath) && fs.statSync(zipPath).size === stamp.bytes && fs.existsSync(path.join(folder, 'package.json'))) {
      return { folder, zipPath, bytes: stamp.bytes, files: stamp.files ?? 0, ...(stamp.routes && { routes: stamp.routes }), reused: true };
    }
    fs.rmSync(stampFile, { force: true });
    const release = await buildRelease(root, outDir);
    fs.writeFileSync(stampFile, JSON.stringify({ inputs, bytes: release.bytes, files: release.files, routes: release.routes } satisfies Stamp));
    return { ...release, reused: false };
  });
}
