import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SelfSigned } from './selfSigned';

/** Azurite's well-known development account (published in Azurite's README; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** Azurite's package folder, found the way Node finds it (this file also runs compiled, from dist/, in the benchmark). */
const AZURITE = path.dirname(require.resolve('azurite/package.json'));

/** A running Azurite (blob + table, in memory) and how to reach it. */
export interface Azurite {
  connectionString: string;
  blobPort: number;
  tablePort: number;
  /** The account's endpoints, as AZURE_STORAGE_ACCOUNT_URL and AZURE_STORAGE_TABLE_URL name them. */
  blobUrl: string;
  tableUrl: string;
  stop(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) an Azurite of its own: storage that accepts connections and does not answer, data kept. */
  freeze?(frozen: boolean): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * How an Azurite of its own is reached: plain HTTP with the account key (the default), or `tls` and `oauth`, as
 * Azure Storage is reached with a managed identity: HTTPS, and bearer tokens checked for their issuer, audience
 * and lifetime (Azurite's "basic" OAuth; their signature is not checked). The key works as well.
 */
export interface AzuriteOptions { tls?: SelfSigned; oauth?: boolean }

/** Starts one Azurite service's entry point directly, so the pid we stop is Azurite's own. */
async function startService(service: 'blob' | 'table', port: number, cwd: string, options: AzuriteOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [
    path.join(AZURITE, `dist/src/${service}/main.js`),
    `--${service}Host`, '127.0.0.1', `--${service}Port`, String(port),
    '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent',
    ...(options.tls ? ['--cert', options.tls.caFile, '--key', options.tls.keyFile] : []),
    ...(options.oauth ? ['--oauth', 'basic'] : []),
  ], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Loading Azurite takes a second alone, and more than 20 s beside a full test run on 2 cores.
    // One that did not start in time is stopped: left running, it outlived the run and held its Jest worker open.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`Azurite ${service} did not start: ${output}`)); }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully (listens|started)/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Azurite ${service} exited (${code}): ${output}`)); });
  });
  child.removeAllListeners('exit');
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Set by Jest's global setup: the Azurite every test file of the run shares (`{ connectionString, blobPort, tablePort }`). */
export const SHARED_AZURITE = 'TEST_SHARED_AZURITE';

/** The run's shared Azurite when Jest's global setup started one (its stop() leaves it running), else a new one. */
export async function startAzurite(): Promise<Azurite> {
  const shared = process.env[SHARED_AZURITE];
  if (shared) return { ...(JSON.parse(shared) as Omit<Azurite, 'stop'>), stop: async () => undefined };
  return launchAzurite();
}

/** Starts Azurite's blob and table services on free loopback ports with in-memory persistence. */
export async function launchAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  // Azurite needs its ports named up front; another process may take a free port before Azurite binds it, so a
  // start that lost its port is tried again on fresh ones.
  for (let attempt = 1; ; attempt++) {
    const [blobPort, tablePort] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([startService('blob', blobPort, cwd, options), startService('table', tablePort, cwd, options)]);
    const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (children.length === started.length) return running(cwd, blobPort, tablePort, children, options.tls ? 'https' : 'http');
    await Promise.all(children.map(stopChild));
    const reasons = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    if (attempt === 3 || !reasons.every((r) => r.includes('EADDRINUSE'))) throw new Error(reasons.join('\n'));
  }
}

function running(cwd: string, blobPort: number, tablePort: number, children: ChildProcess[], scheme: 'http' | 'https'): Azurite {
  const [blobUrl, tableUrl] = [`${scheme}://127.0.0.1:${blobPort}/${ACCOUNT}`, `${scheme}://127.0.0.1:${tablePort}/${ACCOUNT}`];
  return {
    blobPort,
    tablePort,
    blobUrl,
    tableUrl,
    connectionString: `DefaultEndpointsProtocol=${scheme};AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${blobUrl};TableEndpoint=${tableUrl};`,
    freeze(frozen) {
      for (const child of children) child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
    },
    async stop() {
      children.forEach((child) => child.kill('SIGCONT'));
      await Promise.all(children.map(stopChild));
      fs.rmSync(cwd, { recursive: true, force: true });
    },
  };
}

let prefixes = 0;
/** Per loaded copy of this module: Jest loads it afresh for each test file, and files in one worker share a pid. */
const copy = randomBytes(3).toString('hex');
/** A fresh table/container prefix, so that tests sharing one Azurite do not see each other's state. */
export function freshPrefix(): string {
  return `t${process.pid}${copy}x${++prefixes}`;
}
