import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The project's root folder. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Set by Jest's global setup once it has built dist/ for the whole run. */
export const BUILT_FOR_RUN = 'TEST_DIST_BUILT';
const TSC = [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.dev.json'];

/** Compiles src/ and dev/ to dist/ as `npm start` does (incremental: fast when nothing changed); once per Jest run. */
export function ensureBuilt(): void {
  if (process.env[BUILT_FOR_RUN] === '1') return;
  execFileSync(process.execPath, TSC, { cwd: ROOT, stdio: 'inherit' });
}

/** The same build, without blocking: Jest's global setup starts Azurite meanwhile. */
export async function buildForRun(): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, TSC, { cwd: ROOT });
  } catch (e) {
    const { stdout, message } = e as { stdout?: string; message: string };
    throw new Error(`tsc -p tsconfig.dev.json failed:\n${stdout ?? message}`);
  }
  process.env[BUILT_FOR_RUN] = '1';
}
