import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../dev/sandbox';
import { ROUTES } from '../../src/integration/routes';
import type { Exchange } from './exchange';
import type { Har } from './har';
import { liveCheck } from './liveCheck';

const fakeJwt = (aud: string) =>
  ['{"alg":"none","typ":"JWT"}', JSON.stringify({ aud, name: 'Sandbox Admin' })].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig';

/** Where the sandbox's services would live in a tenant, so the capture looks like one from a browser. */
function publicHosts(origin: string): (text: string) => string {
  return (text) => text
    .split(`${origin}/bap/`).join('https://api.bap.microsoft.com/')
    .split(`${origin}/powerapps/`).join('https://api.powerapps.com/')
    .split(`${origin}/integrator/`).join('https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/')
    .replace(new RegExp(`${origin}/dataverse/([^/"]+)/?`, 'g'), 'https://org$1.crm4.dynamics.com/');
}

const entry = (e: Exchange, move: (t: string) => string, audience: string): Har['log']['entries'][number] => ({
  request: {
    method: e.method, url: move(e.url.href),
    headers: [{ name: 'Authorization', value: `Bearer ${fakeJwt(audience)}` }, { name: 'Cookie', value: 'ai_session=sandbox' }],
    ...(e.requestBody ? { postData: { text: move(e.requestBody) } } : {}),
  },
  response: { status: e.status, headers: [], content: { text: move(e.responseBody ?? '') } },
});

const noise = (url: string) => ({ request: { method: 'GET', url, headers: [] }, response: { status: 200, headers: [], content: { text: '' } } });

/**
 * Records a HAR from a sandbox session (a live check with --write, then a read-only one), with the
 * hosts a tenant would show and a browser's static, sign-in and telemetry calls around it:
 * `node dist/tools/tenantCheck/sandboxHar.js test/tenantCheck/fixtures/matching.har`.
 */
async function main(file: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-har-'));
  const sandbox = await startSandbox({ port: 0, dataDir, minuteMs: 200 });
  try {
    const options = { baseUrls: sandbox.baseUrls, routes: ROUTES, token: 'local', credential: 'device' as const, prompt: () => undefined };
    const first = await liveCheck({ ...options, write: true });
    const second = await liveCheck({ ...options, write: false });
    const move = publicHosts(`http://127.0.0.1:${sandbox.port}`);
    const entries = [
      noise('https://dataintegrator.trafficmanager.net/static/js/main.8f3a.js'),
      noise('https://login.microsoftonline.com/common/oauth2/v2.0/token'),
      ...[...first.exchanges, ...second.exchanges].map((e) => entry(e, move, e.url.pathname.startsWith('/integrator/') ? 'https://IntegratorApp.com' : 'https://service.powerapps.com/')),
      noise('https://browser.events.data.microsoft.com/OneCollector/1.0/'),
    ];
    fs.writeFileSync(file, `${JSON.stringify({ log: { version: '1.2', creator: { name: 'tenant-check sandboxHar', version: '1' }, entries } }, null, 1)}\n`);
  } finally {
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2] ?? 'sandbox.har').catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
