import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDeploy } from '../../scripts/deploy/deploy';
import { PROJECT_ROUTES_FILE } from '../../scripts/release/releaseRoutes';
import { loadRouteOverrides } from '../../src/integration/routeOverrides';
import { ensureBuilt, ROOT } from '../helpers/build';
import { endOf } from '../helpers/processes';
import { AzAnswer, pathWithAz } from './standInAz';

const ENTRY = path.join(ROOT, 'dist/scripts/deploy/deploy.js');
const DEPLOY_ENV = {
  INTEGRATOR_BASE_URL: 'https://projectmanagementservice.example.invalid/', OAUTH_CLIENT_ID: '77777777-2222-3333-4444-555555555555',
  SECRET_OAUTH_CLIENT_SECRET: 'not-a-real-secret',
};

const USAGE = 'Usage: npm run deploy -- --resource-group <name> [--location <region>]';
const pathWith = (answers?: Record<string, AzAnswer>) => pathWithAz(answers).dir;

/** Runs `npm run deploy`'s entry in an empty folder (no .env) with only PATH and `env`. */
function deploy(args: string[], pathDir: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [ENTRY, ...args], { cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'di-deploy-cwd-')), env: { PATH: pathDir, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return endOf(child).then((code) => ({ code, stdout, stderr }));
}

const signedIn = { exit: 0, out: '{"id":"00000000-1111-2222-3333-444444444444","name":"Contoso","user":{"name":"admin@contoso.example"}}' };
const denied = { exit: 1, err: "ERROR: (AuthorizationFailed) The client 'admin@contoso.example' does not have authorization to perform action" };

describe('npm run deploy: a missing prerequisite is one clear line and a failing exit', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('no az on the PATH', async () => {
    const run = await deploy(['--resource-group', 'rg-bot'], pathWith());
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^The Azure CLI \(az\) is not on the PATH: install it .*az login/)]);
  });

  test('az there but not signed in', async () => {
    const run = await deploy(['--resource-group', 'rg-bot'], pathWith({ 'account show': { exit: 1, err: "ERROR: Please run 'az login' to setup account." } }), DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Not signed in to Azure: run `az login`/)]);
  });

  test('no --resource-group: the usage line', async () => {
    const run = await deploy([], pathWith({ 'account show': signedIn }), DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(USAGE);
  });

  test.each([
    [['--resource-group', '--location', 'westeurope'], '--resource-group needs a value (it is followed by "--location")'],
    [['-g', 'rg-bot', '--location', '-g'], '--location needs a value (it is followed by "-g")'],
    [['--resource-group'], '--resource-group needs a value (it is followed by nothing)'],
  ])('%j: a flag\'s value that is itself a flag (or missing) is refused in one line', async (args, line) => {
    const run = await deploy(args, pathWith({ 'account show': signedIn }), DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`${line}. ${USAGE}`);
  });

  test('signed in but the settings the template needs are missing: every one named in one line', async () => {
    const run = await deploy(['--resource-group', 'rg-bot'], pathWith({ 'account show': signedIn }));
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const key of ['INTEGRATOR_BASE_URL', 'OAUTH_CLIENT_ID', 'SECRET_OAUTH_CLIENT_SECRET']) expect(lines[0]).toContain(key);
    expect(run.stdout).toContain('Signed in as admin@contoso.example');
  });

  test('approvers given as e-mails (which the deployed bot refuses at every start) are refused before anything is created', async () => {
    const az = pathWithAz({ 'account show': signedIn, 'group show': { exit: 0, out: '{"name":"rg-bot"}' } });
    const run = await deploy(['--resource-group', 'rg-bot'], az.dir, { ...DEPLOY_ENV, SCHEDULE_APPROVERS: 'ada@contoso.com' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/SCHEDULE_APPROVERS:? Entra object ids \(GUIDs\) in Teams mode, not "ada@contoso.com"/)]);
    expect(fs.readFileSync(az.log, 'utf8').trim().split('\n').map((l) => l.split(' --')[0])).toEqual(['account show']);
  });

  test('no resource group and no --location; no rights to create one', async () => {
    const az = pathWith({ 'account show': signedIn, 'group show': { exit: 3, err: "ERROR: Resource group 'rg-bot' could not be found." }, 'group create': denied });
    const missing = await deploy(['--resource-group', 'rg-bot'], az, DEPLOY_ENV);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Resource group rg-bot not found in subscription 00000000-.*pass --location/)]);
    const noRights = await deploy(['--resource-group', 'rg-bot', '--location', 'westeurope'], az, DEPLOY_ENV);
    expect(noRights.code).toBe(1);
    expect(noRights.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No rights to create resource group rg-bot/)]);
  });

  test('no rights on the resource group: refused before anything is created, the temporary parameters (with the secret) removed', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('di-deploy-') && !f.startsWith('di-deploy-cwd-')).length;
    const az = pathWith({ 'account show': signedIn, 'group show': { exit: 0, out: '{"name":"rg-bot"}' }, 'deployment group validate': denied });
    const run = await deploy(['--resource-group', 'rg-bot'], az, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No rights to deploy to resource group rg-bot: .*Owner/)]);
    expect(run.stdout + run.stderr).not.toContain(DEPLOY_ENV.SECRET_OAUTH_CLIENT_SECRET);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('di-deploy-') && !f.startsWith('di-deploy-cwd-')).length).toBe(before);
  });
});

describe("npm run deploy ships the project's routes file in the release, checked as the bot checks it before anything is asked of Azure", () => {
  beforeAll(() => ensureBuilt(), 120_000);
  const group = { 'account show': signedIn, 'group show': { exit: 0, out: '{"name":"rg-bot"}' } };

  /** What the bot says of the same file at its start (and the tenant check): the loader's own message. */
  const loaderSays = (file: string) => {
    try { loadRouteOverrides(file); } catch (err) { return (err as Error).message; }
    throw new Error(`${file} was accepted`);
  };

  // In-process, on a project folder of its own: the shared project's tenant-check/ is left alone while other tests build its release.
  test.each([
    ['a route the bot does not know', '{ "routes": { "launchRockets": { "method": "POST", "path": "api/Rockets" } } }'],
    ['a path to another host', '{ "routes": { "runProject": { "method": "POST", "path": "//evil.example/{projectName}" } } }'],
    ['not JSON', '{ routes: '],
  ])('tenant-check/integrator-routes.json holds %s: exit 2, one line with the bot\'s own message, and no az call at all', (_what, text) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'di-deploy-project-'));
    fs.mkdirSync(path.join(root, 'tenant-check'));
    const file = path.join(root, PROJECT_ROUTES_FILE);
    fs.writeFileSync(file, text);
    const az = pathWithAz(group);
    const savedPath = process.env.PATH;
    const expected = `tenant-check/integrator-routes.json would stop the bot at start: ${loaderSays(file)}`;
    const errors: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    process.env.PATH = `${az.dir}${path.delimiter}${savedPath}`;
    try {
      expect(runDeploy(['--resource-group', 'rg-bot'], root)).toBe(2);
    } finally {
      process.env.PATH = savedPath;
      error.mockRestore();
      log.mockRestore();
      fs.rmSync(root, { recursive: true, force: true });
    }
    expect(errors).toEqual([expected]);
    expect(fs.existsSync(az.log)).toBe(false);
  });

  // The routes are no longer an argument: what ships is what the project holds, the same for the Agents Toolkit.
  test.each([
    [['--routes', 'integrator-routes.json']], [['--no-routes']],
  ])('%j: refused in one line that says where the routes file goes, no az call', async (args) => {
    const az = pathWithAz(group);
    const run = await deploy(['--resource-group', 'rg-bot', ...args], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${args[0]} is not an option: the release ships tenant-check/integrator-routes.json when the project holds it (copy the checked file there, or delete it for the built-in routes), whichever way you deploy. ${USAGE}`,
    ]);
    expect(fs.existsSync(az.log)).toBe(false);
  });

  test('an argument the deploy does not know is refused, not ignored', async () => {
    const az = pathWithAz(group);
    const run = await deploy(['--resource-group', 'rg-bot', '--locaton', 'westeurope'], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`Unknown argument "--locaton". ${USAGE}`);
    expect(fs.existsSync(az.log)).toBe(false);
  });
});
