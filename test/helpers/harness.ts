import fs from 'node:fs';
import type { DestinationStream } from 'pino';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { LocalApp, LocalAppOptions, startLocalApp } from '../../dev/local/startLocalApp';
import { LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';

/** A fresh data folder for one test. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'di-bot-'));
}

/** The real bot on a free port, a local connector for its replies, and a client for both. */
export interface Harness {
  app: LocalApp;
  connector: LocalConnector;
  serviceUrl: string;
  dataDir: string;
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  postRaw(body: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Starts the bot in-process with `env` on top of a local-mode test configuration; `logTo` takes its log lines (at LOG_LEVEL). */
export async function startHarness(env: Record<string, string> = {}, dataDir = tempDataDir(), options: LocalAppOptions & { logTo?: DestinationStream } = {}): Promise<Harness> {
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SANDBOX_PORT: '0', ...env }, 'test');
  const app = await startLocalApp(config, createLogger(config.LOG_LEVEL, options.logTo), options);
  const postRaw = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: await res.text() };
  };
  return {
    app, connector, serviceUrl, dataDir, postRaw,
    post: (activity, headers) => postRaw(JSON.stringify(activity), headers),
    async close() {
      await app.close();
      await closeConnector();
    },
  };
}
