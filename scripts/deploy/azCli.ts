import { spawnSync } from 'node:child_process';

/** A failed step, with the one line that says what to do. */
export class DeployError extends Error {}

/** The outcome of one `az` call: its JSON answer, or what it printed when it failed. */
export type AzResult = { ok: true; json: unknown } | { ok: false; missing: boolean; message: string };

/** Runs `az <args> -o json` (no prompts, no telemetry) and parses its answer. */
export function az(args: string[], env: NodeJS.ProcessEnv = process.env): AzResult {
  const run = spawnSync('az', [...args, '--only-show-errors', '-o', 'json'], {
    encoding: 'utf8', env: { ...env, AZURE_CORE_COLLECT_TELEMETRY: 'false', AZURE_CORE_NO_COLOR: 'true' }, maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) return { ok: false, missing: (run.error as NodeJS.ErrnoException).code === 'ENOENT', message: run.error.message };
  if (run.status !== 0) return { ok: false, missing: false, message: (run.stderr || run.stdout).trim().split('\n')[0] ?? '' };
  return { ok: true, json: run.stdout.trim() ? JSON.parse(run.stdout) as unknown : undefined };
}

/** Like az(), but a failure stops the deployment with `what` and the CLI's own first line. */
export function azOrFail(args: string[], what: string, env?: NodeJS.ProcessEnv): unknown {
  const result = az(args, env);
  if (!result.ok) throw new DeployError(`${what}: ${result.message}`);
  return result.json;
}

/** The signed-in subscription, or one clear line for each missing prerequisite. */
export function checkSignedIn(env?: NodeJS.ProcessEnv): { subscriptionId: string; subscriptionName: string; user: string } {
  const account = az(['account', 'show'], env);
  if (!account.ok && account.missing) {
    throw new DeployError('The Azure CLI (az) is not on the PATH: install it (https://aka.ms/installazurecli), run `az login`, then run this again.');
  }
  if (!account.ok) throw new DeployError('Not signed in to Azure: run `az login` (and `az account set --subscription <id>` to choose the subscription), then run this again.');
  const a = account.json as { id?: string; name?: string; user?: { name?: string } };
  if (!a?.id) throw new DeployError('`az account show` named no subscription: run `az account set --subscription <id>`.');
  return { subscriptionId: a.id, subscriptionName: a.name ?? a.id, user: a.user?.name ?? 'unknown' };
}

/** True when the CLI's message is Azure's refusal for missing rights. */
export function isAuthorizationFailure(message: string): boolean {
  return /AuthorizationFailed|does not have authorization|LinkedAuthorizationFailed|Forbidden/i.test(message);
}
