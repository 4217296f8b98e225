import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Sandbox, startSandbox } from '../../dev/sandbox';
import { cardAction, cardInputs, cardText } from '../helpers/cardWalk';
import { type Harness, startHarness, tempDataDir } from '../helpers/harness';
import { isUpdateBeyondSetup, newestCard, walkToReview } from '../helpers/setupWalk';
import { submit } from '../helpers/activities';

/** A tenant whose Data Integrator names three routes differently from our guesses (the sandbox behind it serves ours). */
const RENAMED: Array<[method: string, tenant: RegExp, ours: string]> = [
  ['GET', /^\/tenant\/api\/Templates$/, '/integrator/api/Template'],
  ['GET', /^\/tenant\/api\/ConnectionSets$/, '/integrator/api/ConnectionSet'],
  ['POST', /^\/tenant\/api\/Projects\/([^/]+)\/Run$/, '/integrator/api/Project/$1/Execute'],
];
/** Our guesses, which this tenant does not answer. */
const GUESSES = [/^\/tenant\/api\/Template$/, /^\/tenant\/api\/ConnectionSet$/, /\/Execute$/];

/** A loopback proxy in front of the sandbox that serves the renamed routes and refuses our guesses. */
async function startTenant(sandbox: Sandbox): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const origin = new URL(sandbox.baseUrls.integrator).origin;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://tenant');
      calls.push(`${req.method} ${url.pathname}`);
      if (GUESSES.some((g) => g.test(url.pathname))) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NotFound","message":"no such route"}}');
        return;
      }
      const rename = RENAMED.find(([m, p]) => m === req.method && p.test(url.pathname));
      const target = rename ? url.pathname.replace(rename[1], rename[2]) : url.pathname.replace(/^\/tenant\//, '/integrator/');
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(`${origin}${target}${url.search}`, { method: req.method, headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' }, body })
        .then(async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(text);
        })
        .catch(() => { res.writeHead(502); res.end(); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('INTEGRATOR_ROUTES_FILE: the bot calls the routes an admin corrected, without a rebuild', () => {
  let sandbox: Sandbox;
  let tenant: Awaited<ReturnType<typeof startTenant>>;
  let h: Harness;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: path.join(dataDir, 'sandbox'), minuteMs: 200 });
    tenant = await startTenant(sandbox);
  });
  afterAll(async () => {
    await h?.close();
    await tenant.close();
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the setup reaches a run through the renamed routes, and /healthz names them', async () => {
    const file = path.join(dataDir, 'integrator-routes.json');
    fs.writeFileSync(file, JSON.stringify({
      routes: {
        listTemplates: { method: 'GET', path: 'api/Templates' },
        listConnectionSets: { method: 'GET', path: 'api/ConnectionSets' },
        runProject: { method: 'POST', path: 'api/Projects/{projectName}/Run' },
      },
    }));
    h = await startHarness({
      START_SANDBOX: 'false', INTEGRATOR_BASE_URL: tenant.url, BAP_BASE_URL: sandbox.baseUrls.bap,
      POWERAPPS_BASE_URL: sandbox.baseUrls.powerapps, INTEGRATOR_ROUTES_FILE: file, RUN_POLL_SECONDS: '1',
    }, path.join(dataDir, 'bot'));
    const health = await (await fetch(`${h.app.url}/healthz`)).json() as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', routesOverridden: ['listTemplates', 'listConnectionSets', 'runProject'] });

    const review = await walkToReview(h.serviceUrl, h.connector, (_, activity) => h.post(activity), 'Override sync');
    await h.post(submit(h.serviceUrl, { ...cardInputs(review), ...cardAction(review, 'Create') }, 'channel'));
    const runCard = newestCard(h);
    await h.post(submit(h.serviceUrl, { ...cardInputs(runCard), ...cardAction(runCard, 'Run now') }, 'channel'));
    const update = await h.connector.waitFor(isUpdateBeyondSetup, 20_000);
    expect(cardText(update.activity.attachments![0]!.content)).toMatch(/Override sync (succeeded|finished with errors)/);

    expect(tenant.calls).toEqual(expect.arrayContaining(['GET /tenant/api/Templates', 'POST /tenant/api/Projects/Override%20sync/Run']));
    expect(tenant.calls.filter((c) => GUESSES.some((g) => g.test(c.split(' ')[1]!)))).toEqual([]);
  }, 60_000);
});
