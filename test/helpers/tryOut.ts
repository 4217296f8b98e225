import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { Azurite, freshPrefix, startAzurite } from './azurite';
import { ensureBuilt } from './build';
import { listeningUrl, NodeProcess, startNode } from './processes';

/** Several "App Service instances" on one machine: bot processes on STATE_STORE=azure, one Azurite, one sandbox process, one Bot Connector. */
export interface TryOut {
  azurite: Azurite;
  connector: LocalConnector;
  serviceUrl: string;
  /** The environment every bot process gets. */
  env: Record<string, string>;
  bots: Array<{ proc: NodeProcess; url: string }>;
  startBot(): Promise<void>;
  /** Posts an activity to one bot instance's /api/messages. */
  post(instance: number, activity: object): Promise<{ status: number; body: string }>;
  /** The client, straight to the sandbox process. */
  di(): DataIntegration;
  close(): Promise<void>;
}

export async function startTryOut(env: Record<string, string>, sandboxEnv: Record<string, string> = {}): Promise<TryOut> {
  ensureBuilt();
  const azurite = await startAzurite();
  const sandbox = startNode('dev/sandbox/main.js', { SANDBOX_PORT: '0', LOG_LEVEL: 'silent', ...sandboxEnv });
  const sandboxUrl = (await sandbox.waitForOutput(/INTEGRATOR_BASE_URL=(http:\/\/[^/\s]+)/, 60_000))[1];
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const bots: TryOut['bots'] = [];
  const botEnv = {
    STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix(),
    SANDBOX_URL: sandboxUrl, RUN_POLL_SECONDS: '1', LOG_LEVEL: 'info', ...env,
  };
  const baseUrls = { bap: `${sandboxUrl}/bap`, powerapps: `${sandboxUrl}/powerapps`, integrator: `${sandboxUrl}/integrator` };
  return {
    azurite, connector, serviceUrl, bots, env: botEnv,
    async startBot() {
      const proc = startNode('src/index.js', { ...botEnv, PORT: '0' });
      bots.push({ proc, url: await listeningUrl(proc, 60_000) });
    },
    async post(instance, activity) {
      const res = await fetch(`${bots[instance].url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      return { status: res.status, body: await res.text() };
    },
    di: () => createDataIntegration({ baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 }),
    async close() {
      await Promise.all(bots.map((b) => b.proc.kill('SIGKILL')));
      await sandbox.kill();
      await closeConnector();
      await azurite.stop();
    },
  };
}

/** Waits until `check` holds, polling every 100 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether an instance's last word on the lease is that it took it (one that took it and lost it under load no longer leads). */
const leads = (output: string) => output.match(/leader lease (taken|lost)/g)?.at(-1) === 'leader lease taken';

/** The index of the live instance that holds the leader lease, or -1. */
export function leaderIndex(t: Pick<TryOut, 'bots'>): number {
  return t.bots.findIndex((b) => b.proc.child.exitCode === null && b.proc.child.signalCode === null && leads(b.proc.output()));
}

/** SIGKILLs the lease holder, starts a replacement and waits until another instance leads. */
export async function killLeaderAndReplace(t: TryOut, leaseSeconds: number): Promise<void> {
  await until('a leader', () => leaderIndex(t) >= 0, 2 * leaseSeconds * 1000);
  const killed = leaderIndex(t);
  await t.bots[killed]!.proc.kill('SIGKILL');
  await t.startBot();
  await until('another leader', () => leaderIndex(t) >= 0 && leaderIndex(t) !== killed, 2 * leaseSeconds * 1000);
}
