import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tenantCheck } from '../../tools/tenantCheck/main';
import { ROOT } from '../helpers/build';

/** A fixture of this folder. */
export const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

/** Runs the check in this process; what it printed and its exit code. */
export async function runCheck(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await tenantCheck(argv, (text) => { stdout += `${text}\n`; });
  return { code, stdout };
}

/** Runs the built command (`node dist/tools/tenantCheck/main.js`) as an admin would; build first with ensureBuilt. */
export function runBuiltCheck(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  return runBuiltCheckWithEnv({}, ...argv);
}

/** runBuiltCheck with environment variables (e.g. INTEGRATOR_ROUTES_FILE). */
export function runBuiltCheckWithEnv(env: Record<string, string>, ...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/tools/tenantCheck/main.js'), ...argv], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
