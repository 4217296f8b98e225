import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The project's root folder. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Compiles src/ and dev/ to dist/ as `npm start` does (incremental: fast when nothing changed). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.dev.json'], { cwd: ROOT, stdio: 'inherit' });
}
