import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { createDataIntegration, type DataIntegration, type Execution, type TokenProvider } from '../../src/integration';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../dev/sandbox';

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

/** A fresh temporary DATA_DIR. */
export const freshDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'di-sandbox-'));

/** A sandbox on a free loopback port over a fresh data folder, and a real client pointed at it. */
export class Harness {
  readonly tokens = new CountingTokens();
  client: DataIntegration;

  private constructor(public sandbox: Sandbox, private readonly options: SandboxOptions) {
    this.client = this.clientWith();
  }

  /** Starts a sandbox over a fresh data folder. */
  static async start(options: Partial<SandboxOptions> = {}): Promise<Harness> {
    const sandboxOptions = { port: 0, dataDir: freshDataDir(), ...options };
    return new Harness(await startSandbox(sandboxOptions), sandboxOptions);
  }

  /** A client of the sandbox; retries back off in milliseconds so that tests stay fast. */
  clientWith(settings: ClientSettings = {}): DataIntegration {
    return createDataIntegration({
      baseUrls: this.sandbox.baseUrls,
      tokens: settings.tokens ?? this.tokens,
      timeoutMs: settings.timeoutMs ?? 5000,
      maxRetries: settings.maxRetries ?? 3,
      logger: settings.logger,
      backoff: { initialDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: settings.maxRetryAfterMs },
    });
  }

  /** Closes the sandbox and starts it again over the same folder. */
  async restart(): Promise<void> {
    await this.sandbox.close();
    this.sandbox = await startSandbox(this.options);
    this.client = this.clientWith();
  }

  /** Closes the sandbox and removes its folder. */
  async close(): Promise<void> {
    await this.sandbox.close();
    fs.rmSync(this.options.dataDir, { recursive: true, force: true });
  }
}

/** Starts a harness (see Harness.start). */
export const startHarness = (options: Partial<SandboxOptions> = {}) => Harness.start(options);

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
