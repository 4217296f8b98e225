import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { productionPackageDirs } from '../../scripts/release/productionPackages';

/**
 * Files of a package the running bot never reads: better-sqlite3's C sources and compiler output (the
 * module needs only its compiled `better_sqlite3.node`). Paths are relative to the package folder.
 */
const BUILD_LEFTOVERS: Record<string, string[]> = {
  'better-sqlite3': ['deps', 'src', 'binding.gyp', 'build/Release/obj', 'build/Release/obj.target', 'build/Release/.deps',
    'build/Release/sqlite3.a', 'build/Release/test_extension.node', 'build/deps', 'build/Makefile', 'build/config.gypi',
    'build/binding.Makefile', 'build/better_sqlite3.target.mk', 'build/test_extension.target.mk'],
};

/** Files Node never loads at run time: TypeScript sources and declarations, source maps, documentation. */
const NOT_RUN = /\.(ts|mts|cts|map|md|markdown)$/i;

/**
 * Copies the production packages of `root`'s node_modules into `target/node_modules`, keeping their
 * layout. Each package is copied without its nested node_modules: npm lists the nested ones it needs.
 */
function copyProductionModules(root: string, target: string): number {
  const dirs = productionPackageDirs(root);
  for (const dir of dirs) {
    const rel = path.relative(root, dir);
    const name = path.relative(path.join(root, 'node_modules'), dir).split(`${path.sep}node_modules${path.sep}`).pop()!;
    const skip = new Set([path.join(dir, 'node_modules'), ...(BUILD_LEFTOVERS[name] ?? []).map((p) => path.join(dir, p))]);
    fs.cpSync(dir, path.join(target, rel), { recursive: true, dereference: true, filter: (src) => !skip.has(src) && !NOT_RUN.test(src) });
  }
  return dirs.length;
}

/** The build the bundled release replaced, as its zip carried it: what `npm run bench:start` compares the release with. */
export interface CurrentBuild { folder: string; zipPath: string; bytes: number; files: number; startArgs: string[] }

/** The sources a build is compiled from: `root` itself, or a copy of `ref`'s src/, cards/ and configuration (using root's packages). */
function sourcesOf(root: string, ref: string | undefined, scratch: string): string {
  if (!ref) return root;
  const dir = fs.mkdtempSync(path.join(scratch, 'sources-'));
  const files = ['src', 'cards', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
  const archive = execFileSync('git', ['archive', ref, ...files], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/**
 * Makes the release as build:release made it before the bundle (issue 30): src/ compiled by tsc into dist/src,
 * cards/, package.json and the production packages' node_modules, in `folder`, zipped beside it. From the working
 * tree's sources, or from those of the commit `ref` (BENCH_BASELINE, e.g. the last one before the bundle).
 */
export function buildCurrent(root: string, folder: string, ref?: string): CurrentBuild {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const sources = sourcesOf(root, ref, path.dirname(folder));
  const buildInfo = path.join(folder, '.tsbuildinfo');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(sources, 'tsconfig.build.json'),
    '--outDir', path.join(folder, 'dist'), '--tsBuildInfoFile', buildInfo], { cwd: sources, stdio: 'inherit' });
  fs.rmSync(buildInfo);
  fs.cpSync(path.join(sources, 'cards'), path.join(folder, 'cards'), { recursive: true });
  fs.copyFileSync(path.join(sources, 'package.json'), path.join(folder, 'package.json'));
  copyProductionModules(root, folder);
  const zip = new AdmZip();
  zip.addLocalFolder(folder);
  const zipPath = `${folder}.zip`;
  zip.writeZip(zipPath);
  return { folder, zipPath, bytes: fs.statSync(zipPath).size, files: zip.getEntries().filter((e) => !e.isDirectory).length, startArgs: ['dist/src/index.js'] };
}
