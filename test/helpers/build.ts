import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The project's root folder. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Set by Jest's global setup once it has built dist/ for the whole run. */
export const BUILT_FOR_RUN = 'TEST_DIST_BUILT';
const TSC_BIN = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TSC = [TSC_BIN, '-p', 'tsconfig.dev.json'];

/** Compiles src/ and dev/ to dist/ as `npm start` does (incremental: fast when nothing changed); once per Jest run. */
export function ensureBuilt(): void {
  if (process.env[BUILT_FOR_RUN] === '1') return;
  execFileSync(process.execPath, TSC, { cwd: ROOT, stdio: 'inherit' });
}

async function tsc(project: string, ...flags: string[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [TSC_BIN, '-p', project, ...flags], { cwd: ROOT });
  } catch (e) {
    const { stdout, message } = e as { stdout?: string; message: string };
    throw new Error(`tsc -p ${project} ${flags.join(' ')} failed:\n${stdout ?? message}`);
  }
}

/** The same build, without blocking: Jest's global setup starts Azurite meanwhile. */
export async function buildForRun(): Promise<void> {
  await tsc('tsconfig.dev.json');
  process.env[BUILT_FOR_RUN] = '1';
}

/** `npm run typecheck` (tests included), beside the build rather than before Jest starts: no test runs if it fails. */
export function typecheckForRun(): Promise<void> {
  return tsc('tsconfig.json', '--noEmit');
}
