import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { createDataIntegration, type DataIntegration, type Execution, type TokenProvider } from '../../src/integration';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox';

/** A token provider that counts its calls and issues a new token on each forced refresh. */
export class CountingTokens implements TokenProvider {
  readonly calls: { scope: string; forceRefresh: boolean }[] = [];
  private generation = 1;

  async getToken(scope: string, options?: { forceRefresh?: boolean }): Promise<string> {
    const forceRefresh = options?.forceRefresh ?? false;
    this.calls.push({ scope, forceRefresh });
    if (forceRefresh) this.generation += 1;
    return `test-token-${this.generation}`;
  }

  get refreshes(): number {
    return this.calls.filter((c) => c.forceRefresh).length;
  }
}

/** Client settings a test may change. */
export interface ClientSettings {
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryAfterMs?: number;
  tokens?: TokenProvider;
  logger?: Logger;
}

/** A sandbox on a free loopback port over a fresh data folder, and a real client pointed at it. */
export interface Harness {
  sandbox: Sandbox;
  client: DataIntegration;
  tokens: CountingTokens;
  dataDir: string;
  /** Starts a second client against the same sandbox with other settings. */
  clientWith(settings: ClientSettings): DataIntegration;
  /** Closes the sandbox and starts it again over the same folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh temporary DATA_DIR. */
export const freshDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'di-sandbox-'));

/** Starts a harness; retries back off in milliseconds so that tests stay fast. */
export async function startHarness(options: Partial<SandboxOptions> = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? freshDataDir();
  const tokens = new CountingTokens();
  const sandboxOptions = { port: 0, ...options, dataDir };
  const clientFor = (sandbox: Sandbox, settings: ClientSettings = {}) =>
    createDataIntegration({
      baseUrls: sandbox.baseUrls,
      tokens: settings.tokens ?? tokens,
      timeoutMs: settings.timeoutMs ?? 5000,
      maxRetries: settings.maxRetries ?? 3,
      logger: settings.logger,
      backoff: { initialDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: settings.maxRetryAfterMs },
    });
  const harness: Harness = {
    sandbox: await startSandbox(sandboxOptions),
    client: undefined as unknown as DataIntegration,
    tokens,
    dataDir,
    clientWith: (settings) => clientFor(harness.sandbox, settings),
    restart: async () => {
      await harness.sandbox.close();
      harness.sandbox = await startSandbox(sandboxOptions);
      harness.client = clientFor(harness.sandbox);
    },
    close: async () => {
      await harness.sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  harness.client = clientFor(harness.sandbox);
  return harness;
}

/** Polls a run until it has finished, as the bot's run watcher would. */
export async function waitForRun(client: DataIntegration, project: string, executionId: string, timeoutMs = 15_000): Promise<Execution> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await client.getExecution(project, executionId);
    if (execution.status !== 'queued' && execution.status !== 'running') return execution;
    if (Date.now() > deadline) throw new Error(`Run ${executionId} still ${execution.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
