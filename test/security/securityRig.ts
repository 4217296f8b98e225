import { createHmac, createSign, generateKeyPairSync, KeyObject } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { LocalApp, startLocalApp } from '../../dev/local/startLocalApp';
import { LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { tempDataDir } from '../helpers/harness';

/** The real bot on a free port with its log lines captured, and a local connector for its replies. */
export interface SecurityRig {
  app: LocalApp;
  connector: LocalConnector;
  serviceUrl: string;
  /** Every log line so far, as JSON text. */
  logs(): string;
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Headers; ms: number }>;
  postRaw(path: string, body: string, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Headers; ms: number }>;
  close(): Promise<void>;
}

/** Starts the bot with `env` on top of a local-mode test configuration, logging at debug level into memory. */
export async function startSecurityRig(env: Record<string, string> = {}): Promise<SecurityRig> {
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const lines: string[] = [];
  const config = loadConfig({ PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'debug', SANDBOX_PORT: '0', ...env }, 'test');
  const app = await startLocalApp(config, createLogger(config.LOG_LEVEL, { write: (line: string) => { lines.push(line); } }));
  const postRaw = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const started = Date.now();
    const res = await fetch(`${app.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: await res.text(), headers: res.headers, ms: Date.now() - started };
  };
  return {
    app, connector, serviceUrl, postRaw,
    logs: () => lines.join(''),
    post: (activity, headers) => postRaw('/api/messages', JSON.stringify(activity), headers),
    async close() {
      await app.close();
      await closeConnector();
    },
  };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT as a forger would make one: signed with an RSA key, an HMAC secret, or not at all. */
export function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject | string | 'none'): string {
  const signed = `${part(header)}.${part(payload)}`;
  if (key === 'none') return `${signed}.`;
  if (typeof key === 'string') return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
  return `${signed}.${createSign('RSA-SHA256').update(signed).sign(key, 'base64url')}`;
}

/** A fresh RSA key pair, as the Bot Framework (or a forger) signs with. */
export const rsaKeys = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
