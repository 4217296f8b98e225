import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { buildRelease, Release } from '../../scripts/release/buildRelease';
import { ensureRelease } from '../../scripts/release/releaseCache';
import { PROJECT_ROUTES_FILE } from '../../scripts/release/releaseRoutes';
import { RELEASE_ROUTES_FILE } from '../../src/integration/routeOverrides';
import { Azurite, startAzurite } from '../helpers/azurite';
import { ROOT } from '../helpers/build';
import { listeningPort, waitForHealth } from '../helpers/processes';
import { until } from '../helpers/tryOut';
import { message } from '../helpers/activities';
import { startTelemetryReceiver, TelemetryReceiver } from '../helpers/telemetryReceiver';
import { listing, makeReadOnly, ReleaseProcess, removeSite, startRelease, teamsEnv, unzipped } from './releaseSite';

/** /healthz, then an unsigned activity, the privacy and terms pages, then SIGTERM: what every start of the release must get through. */
async function healthyRefusesUnsignedStopsCleanly(bot: ReleaseProcess, health: Record<string, unknown> = {}): Promise<void> {
  let port: number | undefined;
  await until('the bot says where it listens', () => (port = listeningPort(bot.stdout())) !== undefined, 60_000)
    .catch((err: Error) => { throw new Error(`${err.message}\n${bot.stdout()}\n${bot.stderr()}`); });
  const healthz = await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${bot.stdout()}\n${bot.stderr()}`);
  });
  expect(await healthz.json()).toMatchObject({ status: 'ok', mode: 'teams', ...health });
  const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message('https://smba.trafficmanager.net/teams/', 'help')),
  });
  expect(res.status).toBe(401);
  // The app package's default privacy and terms links, which need no token (test/http/releaseEdge.e2e.test.ts has the rest).
  for (const page of ['privacy', 'terms']) {
    const answer = await fetch(`http://127.0.0.1:${port}/${page}`);
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  }
  bot.child.kill('SIGTERM');
  expect(await bot.exited).toBe(0);
  expect(bot.stderr()).toBe('');
  expect(bot.stdout()).toContain('bot stopped');
}

describe('the release package started as App Service starts it', () => {
  let release: Release;
  let azurite: Azurite;
  const sites: string[] = [];
  const site = () => { const s = unzipped(release.zipPath); sites.push(s); return s; };

  beforeAll(async () => {
    [release, azurite] = await Promise.all([ensureRelease(ROOT), startAzurite()]);
  }, 300_000);
  afterAll(async () => {
    sites.forEach(removeSite);
    await azurite?.stop();
  });

  test('unzipped into an empty folder it starts in Teams mode on Azurite: /healthz answers, an unsigned activity is 401, SIGTERM stops it cleanly', async () => {
    const bot = startRelease(site(), teamsEnv(azurite));
    try {
      await healthyRefusesUnsignedStopsCleanly(bot);
      expect(bot.stdout()).toContain('telemetry off');
    } finally {
      bot.child.kill('SIGKILL');
    }
  }, 90_000);

  describe('run from a read-only package (WEBSITE_RUN_FROM_PACKAGE=1), exporting to Application Insights as deployed', () => {
    let receiver: TelemetryReceiver;
    beforeAll(async () => { receiver = await startTelemetryReceiver({ tls: true }); });
    afterAll(async () => { await receiver?.close(); });

    test('it starts, answers, stops cleanly and sends telemetry, and the package is unchanged', async () => {
      const wwwroot = site();
      makeReadOnly(wwwroot);
      const before = listing(wwwroot);
      // The receiver's certificate where the bot (run as nobody when the tests run as root) can read it.
      const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-ca-'));
      fs.chmodSync(caDir, 0o755);
      const caFile = path.join(caDir, 'ca.pem');
      fs.copyFileSync(receiver.caFile!, caFile);
      fs.chmodSync(caFile, 0o644);
      const bot = startRelease(wwwroot, {
        ...teamsEnv(azurite), NODE_EXTRA_CA_CERTS: caFile, APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${receiver.url}/;LiveEndpoint=${receiver.url}/`,
      }, { asNobody: true });
      try {
        await healthyRefusesUnsignedStopsCleanly(bot);
        expect(bot.stdout()).toContain('telemetry exported to Application Insights');
        expect(receiver.received.length).toBeGreaterThan(0);
        expect(listing(wwwroot)).toEqual(before);
      } finally {
        bot.child.kill('SIGKILL');
        fs.rmSync(caDir, { recursive: true, force: true });
      }
    }, 90_000);
  });

  // What both ways of deploying ship when the project holds the tenant check's file: build:release puts it beside
  // index.js, and the bot reads it from there with no setting naming it.
  test('built with a routes file in the project and run from the read-only package with no INTEGRATOR_ROUTES_FILE: it reads the file there, and /healthz lists routesOverridden', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-routes-'));
    const file = path.join(dir, 'integrator-routes.json');
    const text = JSON.stringify({ routes: { runProject: { method: 'POST', path: 'api/Projects/{projectName}/Run' }, listTemplates: { method: 'GET', path: 'api/Templates' } } });
    fs.writeFileSync(file, text);
    try {
      const withRoutes = await buildRelease(ROOT, path.join(dir, 'release'), file);
      expect(withRoutes.routes).toEqual({ file, overridden: ['runProject', 'listTemplates'] });
      expect(new AdmZip(withRoutes.zipPath).readAsText(RELEASE_ROUTES_FILE)).toBe(text);
      const wwwroot = unzipped(withRoutes.zipPath);
      sites.push(wwwroot);
      makeReadOnly(wwwroot);
      const env = teamsEnv(azurite);
      expect(env).not.toHaveProperty('INTEGRATOR_ROUTES_FILE');
      const bot = startRelease(wwwroot, env, { asNobody: true });
      try {
        await healthyRefusesUnsignedStopsCleanly(bot, { routesOverridden: ['runProject', 'listTemplates'] });
        const started = bot.stdout().split('\n').find((l) => l.includes('Data Integrator routes overridden'));
        expect(started).toContain(JSON.stringify(path.join(wwwroot, RELEASE_ROUTES_FILE)));
      } finally {
        bot.child.kill('SIGKILL');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  test('the release of this project ships a routes file exactly when the project holds one at tenant-check/integrator-routes.json', () => {
    const inProject = fs.existsSync(path.join(ROOT, PROJECT_ROUTES_FILE));
    expect(fs.existsSync(path.join(release.folder, RELEASE_ROUTES_FILE))).toBe(inProject);
    expect(new AdmZip(release.zipPath).getEntry(RELEASE_ROUTES_FILE) !== null).toBe(inProject);
  });

  test('with its state in SQLite (the addon shipped beside the bundle) and OTLP telemetry, it starts, answers and stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-release-data-'));
    const otlp = await startTelemetryReceiver();
    const bot = startRelease(site(), {
      ...teamsEnv(azurite), STATE_STORE: 'sqlite', DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    try {
      await healthyRefusesUnsignedStopsCleanly(bot);
      expect(bot.stdout()).toContain('telemetry exported to an OTLP collector');
      // The exporters are a part of their own (telemetryExporters.js): what the stop flushed went through them.
      expect(new Set(otlp.received.map((r) => r.path))).toEqual(new Set(['/v1/traces', '/v1/metrics']));
      expect(fs.readdirSync(dataDir)).toContain('bot.sqlite');
    } finally {
      bot.child.kill('SIGKILL');
      await otlp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  test("a thrown error's stack names the .ts file and line of our code, inside the package", async () => {
    const wwwroot = site();
    // A fault injected from outside: the first read of the package's own package.json fails, as a damaged file would.
    const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'di-probe-')), 'failPackageJson.js');
    fs.writeFileSync(probe, [
      'const parse = JSON.parse;',
      'JSON.parse = function (text, ...rest) {',
      '  if (typeof text === "string" && text.includes(\'"scripts"\')) { JSON.parse = parse; throw new Error("damaged package.json"); }',
      '  return parse.call(this, text, ...rest);',
      '};',
    ].join('\n'));
    const bot = startRelease(wwwroot, teamsEnv(azurite), { nodeFlags: ['--require', probe] });
    try {
      expect(await bot.exited).not.toBe(0);
      expect(bot.stderr()).toContain('Error: damaged package.json');
      const frame = /\n\s+at packageVersion \((.+):(\d+):\d+\)/.exec(bot.stderr());
      expect(frame?.[1]).toBe(path.join(wwwroot, 'src', 'projectRoot.ts'));
      const line = fs.readFileSync(path.join(ROOT, 'src/projectRoot.ts'), 'utf8').split('\n')[Number(frame![2]) - 1];
      expect(line).toContain('JSON.parse(');
    } finally {
      bot.child.kill('SIGKILL');
      fs.rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  }, 60_000);
});
