import type { AlertsRuntime } from '../../src/app';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { createLogger } from '../../src/logger';
import { Sandbox } from '../../dev/sandbox';

/** The real bot over HTTP, pointed (by configuration) at a sandbox that outlives its restarts. */
export interface Rig {
  url: string;
  feature: AlertsRuntime;
  di: DataIntegration;
  post(activity: object): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the bot on `dataDir` (reuse it to "restart" the bot). `now` shifts the approvals' clock. */
export async function startRig(options: { dataDir: string; sandbox: Sandbox; env?: Record<string, string>; now?: () => Date; minuteMs: number; expirySweepMs?: number }): Promise<Rig> {
  const { baseUrls } = options.sandbox;
  const config = loadConfig({
    PORT: '0', DATA_DIR: options.dataDir, LOG_LEVEL: 'silent', START_SANDBOX: 'false',
    BAP_BASE_URL: baseUrls.bap, POWERAPPS_BASE_URL: baseUrls.powerapps, INTEGRATOR_BASE_URL: baseUrls.integrator,
    ...options.env,
  }, 'test');
  const app = await startApp(config, createLogger(config.LOG_LEVEL), {
    alerts: { minuteMs: options.minuteMs, now: options.now, retry: { initialDelayMs: 10, maxDelayMs: 50 }, expirySweepMs: options.expirySweepMs },
  });
  return {
    url: app.url,
    feature: app.alerts,
    di: createDataIntegration({ baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 }),
    async post(activity) {
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => app.close(),
  };
}
