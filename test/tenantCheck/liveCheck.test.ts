import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StepResult } from '../../tools/tenantCheck/liveSteps';
import type { Report } from '../../tools/tenantCheck/report';
import { ensureBuilt } from '../helpers/build';
import { type NodeProcess, startNode } from '../helpers/processes';
import { runBuiltCheck, runBuiltCheckWithEnv } from './runCheck';

type LiveReport = Report & { steps: StepResult[] };

describe('npm run tenant-check -- --live, against `npm run sandbox` (token local)', () => {
  let sandbox: NodeProcess;
  let origin: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-live-'));

  beforeAll(async () => {
    ensureBuilt();
    sandbox = startNode('dev/sandbox/main.js', { DATA_DIR: dataDir, SANDBOX_PORT: '0', LOG_LEVEL: 'warn' });
    origin = (await sandbox.waitForOutput(/BAP_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)\/bap/, 20_000))[1]!;
  }, 120_000);
  afterAll(async () => {
    await sandbox.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const live = (...extra: string[]) => {
    const run = runBuiltCheck('--live', '--base-url', origin, '--token', 'local', '--json', ...extra);
    return { code: run.code, report: JSON.parse(run.stdout) as LiveReport };
  };

  test('--write creates a connection set and a tenant-check project from the first template, runs it once and reports each step', () => {
    const { code, report } = live('--write');
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(code).toBe(0);
    const steps = report.steps.map((s) => s.step.replace(/tenant-check-\d+/, 'tenant-check-<time>').replace(/run [\w-]+$/, 'run <id>'));
    expect(steps).toEqual(expect.arrayContaining([
      'create connection set tenant-check-<time>-set', 'pick the first template', 'create project tenant-check-<time>', 'run tenant-check-<time>', 'wait for run <id>',
    ]));
    expect(report.steps.find((s) => s.step === 'pick the first template')?.detail).toBe('Accounts (Sales to CDS)');
    for (const name of ['createConnectionSet', 'createProject', 'runProject', 'listExecutions']) {
      expect(report.routes.find((r) => r.name === name)).toMatchObject({ status: 'matched' });
    }
  }, 120_000);

  test('read-only: every read route the check calls matches, and nothing is created', () => {
    const { code, report } = live();
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(code).toBe(0);
    const seen = report.routes.filter((r) => r.seen > 0).map((r) => r.name).sort();
    expect(seen).toEqual([
      'getProject', 'getSchedule', 'listConnectionSets', 'listConnections', 'listDataflowRefreshes', 'listDataflows', 'listEnvironments', 'listExecutions',
      'listProjects', 'listTableRefreshes', 'listTemplates', 'whoAmI',
    ]);
    expect(report.routes.filter((r) => r.seen > 0).every((r) => r.status === 'matched')).toBe(true);
    // The dataflow routes, reported like the others (documented, matched against their wire schemas): the dataflows of
    // each Dataverse environment until one has some (the sandbox's second), with each one's last refresh as the picker
    // reads them; then that environment's refreshes with the watcher's query, and the tables of the latest once.
    expect(report.steps.filter((s) => /dataflow|tables of refresh/.test(s.step)).map((s) => [s.step.replace(/refresh [\w-]+$/, 'refresh <id>'), s.detail])).toEqual([
      ['dataflows in 00000000-0000-4000-8000-000000000001', '0 dataflows'], ['dataflows in 00000000-0000-4000-8000-000000000002', '3 dataflows'],
      // With the refresh types seen (their values are not documented: the stall rule counts all but those meaning "by hand").
      ['dataflow refreshes in 00000000-0000-4000-8000-000000000002', expect.stringMatching(/^\d+ refreshes of 3 dataflows since \S+; refresh types: "Scheduled" \d+$/)],
      ['dataflow ids in 00000000-0000-4000-8000-000000000002', '3 dataflows listed'],
      ['tables of refresh <id>', expect.stringMatching(/^[12] tables$/)],
    ]);
    const route = (name: string) => report.routes.find((r) => r.name === name);
    expect([route('listDataflows'), route('listDataflowRefreshes'), route('listTableRefreshes')]).toEqual([
      expect.objectContaining({ evidence: 'documented', status: 'matched', seen: 3 }), expect.objectContaining({ evidence: 'documented', status: 'matched', seen: 3 }),
      expect.objectContaining({ evidence: 'documented', status: 'matched', seen: 1 }),
    ]);
    expect(report.steps.map((s) => s.step)).not.toContainEqual(expect.stringMatching(/^create/));
    // Nothing was created: a second read-only check finds the same projects and connection sets.
    const summary = (r: LiveReport) => r.steps.filter((s) => /^(project summary|list connection sets)$/.test(s.step)).map((s) => s.detail);
    expect(summary(live().report)).toEqual(summary(report));
    expect(summary(report)).toEqual(['1 projects', '1 connection sets']);
  }, 120_000);

  test('an override the sandbox does not serve shows the failure an admin would see', () => {
    const file = path.join(dataDir, 'routes.json');
    fs.writeFileSync(file, JSON.stringify({ routes: { listTemplates: { method: 'GET', path: 'api/Templates' } } }));
    const run = runBuiltCheck('--live', '--base-url', origin, '--token', 'local', '--json');
    expect(run.code).toBe(0);
    const overridden = runBuiltCheckWithEnv({ INTEGRATOR_ROUTES_FILE: file }, '--live', '--base-url', origin, '--token', 'local', '--json');
    const report = JSON.parse(overridden.stdout) as LiveReport;
    expect(overridden.code).toBe(1);
    expect(report.routes.find((r) => r.name === 'listTemplates')).toMatchObject({ evidence: 'confirmed', status: 'mismatch' });
    expect(report.steps.find((s) => s.step === 'list templates')).toMatchObject({ ok: false });
  }, 120_000);
});
