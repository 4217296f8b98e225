import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyRouteOverrides } from '../../src/integration/routeOverrides';
import type { Report } from '../../tools/tenantCheck/report';
import { ensureBuilt } from '../helpers/build';
import { fixture, runBuiltCheck, runCheck } from './runCheck';

describe('npm run tenant-check -- --har', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('a capture of a session that used our routes and shapes exits 0, every exercised route matched', () => {
    const { code, stdout } = runBuiltCheck('--har', fixture('matching.har'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OK: 12 routes matched, 0 mismatched, 0 candidates\.$/m);
    expect(stdout).toContain('INTEGRATOR_BASE_URL=https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/');
  });

  test('--json of the matching capture: every exercised route matched, nothing else', async () => {
    const { code, stdout } = await runCheck('--har', fixture('matching.har'), '--json');
    const report = JSON.parse(stdout) as Report;
    expect(code).toBe(0);
    expect(report.routes.filter((r) => r.seen > 0).every((r) => r.status === 'matched')).toBe(true);
    expect(report.routes.find((r) => r.name === 'runProject')).toMatchObject({ status: 'matched', evidence: 'unverified', seen: 1 });
    expect(report.candidates).toEqual([]);
    expect(report.baseUrls.bap).toBe('https://api.bap.microsoft.com/');
  });

  test('the drifting capture exits 1 and names each drifted route, field and candidate', async () => {
    const { code, stdout } = await runCheck('--har', fixture('drifting.har'), '--json');
    const report = JSON.parse(stdout) as Report;
    expect(code).toBe(1);
    const route = (name: string) => report.routes.find((r) => r.name === name)!;
    expect(route('listExecutions')).toMatchObject({ status: 'mismatch', problems: ['response projectExecutionResponses[0].upsertCount: expected number, got string'] });
    expect(route('getProject')).toMatchObject({ status: 'mismatch', problems: ['response entityMappingTasks: expected array, got nothing'] });
    expect(route('listProjects').status).toBe('matched');
    expect(report.candidates).toEqual([
      { method: 'GET', path: 'api/ConnectionSets', count: 1, likely: 'listConnectionSets', overridePath: 'api/ConnectionSets' },
      { method: 'GET', path: 'api/Templates', count: 1, likely: 'listTemplates', overridePath: 'api/Templates' },
      { method: 'POST', path: 'api/Projects/{name}/Run', count: 1, likely: 'runProject', overridePath: 'api/Projects/{projectName}/Run' },
      { method: 'GET', path: 'api/UserSettings', count: 1, likely: null },
    ]);
    // Recognised by the token's audience alone: the host name says nothing.
    expect(report.baseUrls.integrator).toBe('https://di-gw-7.westeurope.example.net/pms/');
  });

  test('--out of the drifting capture: an override file the bot accepts, and one recording per route and status', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-out-'));
    await runCheck('--har', fixture('drifting.har'), '--out', dir);
    const overrides = JSON.parse(fs.readFileSync(path.join(dir, 'integrator-routes.json'), 'utf8')) as unknown;
    expect(overrides).toEqual({ routes: {
      listConnectionSets: { method: 'GET', path: 'api/ConnectionSets' },
      listTemplates: { method: 'GET', path: 'api/Templates' },
      runProject: { method: 'POST', path: 'api/Projects/{projectName}/Run' },
    } });
    expect(applyRouteOverrides(overrides).overridden).toEqual(['listConnectionSets', 'listTemplates', 'runProject']);
    expect(fs.readdirSync(path.join(dir, 'recordings')).sort()).toEqual([
      'candidate-GET-api-ConnectionSets-200.json', 'candidate-GET-api-Templates-200.json', 'candidate-GET-api-UserSettings-200.json',
      'candidate-POST-api-Projects-name-Run-200.json', 'getProject-200.json', 'listEnvironments-200.json', 'listExecutions-200.json', 'listProjects-200.json',
    ]);
    // With the override file applied, the check itself reads the renamed routes as confirmed and matched.
    process.env.INTEGRATOR_ROUTES_FILE = path.join(dir, 'integrator-routes.json');
    try {
      const { stdout } = await runCheck('--har', fixture('drifting.har'), '--json');
      const report = JSON.parse(stdout) as Report;
      expect(report.routes.find((r) => r.name === 'runProject')).toMatchObject({ evidence: 'confirmed', status: 'matched', seen: 1 });
      expect(report.candidates.map((c) => c.path)).toEqual(['api/UserSettings']);
    } finally {
      delete process.env.INTEGRATOR_ROUTES_FILE;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the drifting capture as a table: the failing fields, the candidates and what to do', async () => {
    const { stdout } = await runCheck('--har', fixture('drifting.har'));
    expect(stdout).toMatch(/^listExecutions\s+unverified\s+1\s+mismatch\s+shape differs/m);
    expect(stdout).toMatch(/^listTemplates\s+unverified\s+0\s+not-seen\s+looks like GET api\/Templates: use the override file/m);
    expect(stdout).toContain('  response projectExecutionResponses[0].upsertCount: expected number, got string');
    expect(stdout).toContain('  POST api/Projects/{name}/Run  x1  looks like runProject');
    expect(stdout).toMatch(/^NEEDS ATTENTION: 2 routes matched, 2 mismatched, 4 candidates\.$/m);
  });

  test.each([
    ['JSON that is not a HAR', fixture('notAHar.json'), /is not a HAR file/],
    ['not JSON', 'README.md', /is not JSON/],
    ['a missing file', 'no-such.har', /could not be read/],
  ])('%s exits 2 with one line and no stack trace', (_, file, message) => {
    const { code, stdout, stderr } = runBuiltCheck('--har', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  // A browser that recorded a whole morning writes captures of gigabytes; past 512 MB Node cannot even hold its text.
  test('a capture too big to check (600 MB, sparse) exits 2 saying its size and how to take a smaller one', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'big-har-')), 'morning.har');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 600 * 1024 * 1024);
    try {
      const { code, stdout, stderr } = runBuiltCheck('--har', file);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.trim()).toBe(`tenant-check: ${file} is 600 MB; the check reads captures of up to 200 MB: clear the browser's network log, walk the setup again, then save the capture`);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  test('a HAR without any call to the services exits 2 naming the problem', async () => {
    await expect(runCheck('--har', fixture('noServiceCalls.har'))).rejects.toThrow(/has no call to the Data Integrator, BAP, Power Apps or Dataverse/);
  });
});
