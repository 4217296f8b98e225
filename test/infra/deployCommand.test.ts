import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRouteOverrides } from '../../src/integration/routeOverrides';
import { ensureBuilt, ROOT } from '../helpers/build';
import { endOf } from '../helpers/processes';
import { AzAnswer, firstDeployment, pathWithAz } from './standInAz';

const ENTRY = path.join(ROOT, 'dist/scripts/deploy/deploy.js');
const DEPLOY_ENV = {
  INTEGRATOR_BASE_URL: 'https://projectmanagementservice.example.invalid/', OAUTH_CLIENT_ID: '77777777-2222-3333-4444-555555555555',
  SECRET_OAUTH_CLIENT_SECRET: 'not-a-real-secret',
};

const USAGE = 'Usage: npm run deploy -- --resource-group <name> [--location <region>] [--routes <integrator-routes.json> | --no-routes]';
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
    const az = pathWith({ 'account show': signedIn, 'group show': { exit: 0, out: '{"name":"rg-bot"}' }, 'deployment group show': firstDeployment, 'deployment group validate': denied });
    const run = await deploy(['--resource-group', 'rg-bot'], az, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No rights to deploy to resource group rg-bot: .*Owner/)]);
    expect(run.stdout + run.stderr).not.toContain(DEPLOY_ENV.SECRET_OAUTH_CLIENT_SECRET);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('di-deploy-') && !f.startsWith('di-deploy-cwd-')).length).toBe(before);
  });
});

describe('npm run deploy -- --routes <file>: the routes file is checked as the bot checks it, before anything is asked of Azure', () => {
  beforeAll(() => ensureBuilt(), 120_000);
  const group = { 'account show': signedIn, 'group show': { exit: 0, out: '{"name":"rg-bot"}' } };
  const routesFile = (text: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'di-routes-')), 'integrator-routes.json');
    fs.writeFileSync(file, text);
    return file;
  };
  /** What the bot says of the same file at its start (and the tenant check): the loader's own message. */
  const loaderSays = (file: string) => {
    try { loadRouteOverrides(file); } catch (err) { return (err as Error).message; }
    throw new Error(`${file} was accepted`);
  };

  test.each([
    ['a route the bot does not know', '{ "routes": { "launchRockets": { "method": "POST", "path": "api/Rockets" } } }'],
    ['a path to another host', '{ "routes": { "runProject": { "method": "POST", "path": "//evil.example/{projectName}" } } }'],
    ['a key written twice', '{ "routes": { "runProject": { "method": "POST", "path": "api/Projects/{projectName}/Run" }, "runProject": { "method": "GET", "path": "api/x/{projectName}" } } }'],
    ['not JSON', '{ routes: '],
  ])('%s: exit 2, one line with the bot\'s own message, and no az call at all', async (_what, text) => {
    const file = routesFile(text);
    const az = pathWithAz(group);
    const run = await deploy(['--resource-group', 'rg-bot', '--routes', file], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([`--routes: ${loaderSays(file)}`]);
    expect(fs.existsSync(az.log)).toBe(false);
  });

  test('a file that is not there: exit 2, no az call', async () => {
    const az = pathWithAz(group);
    const missing = path.join(os.tmpdir(), 'di-no-such-dir', 'integrator-routes.json');
    const run = await deploy(['--resource-group', 'rg-bot', '--routes', missing], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(2);
    // The loader's line (Jest's realm shows the same fs error as "Error: ENOENT", so the line is compared up to it).
    expect(loaderSays(missing)).toContain(`${missing} could not be read as JSON (`);
    expect(run.stderr.trim().split('\n')).toEqual([`--routes: ${missing} could not be read as JSON (ENOENT: no such file or directory, stat '${missing}')`]);
    expect(fs.existsSync(az.log)).toBe(false);
  });

  test('--routes and --no-routes together, or --routes without a file: the usage line', async () => {
    const az = pathWithAz(group);
    const both = await deploy(['--resource-group', 'rg-bot', '--routes', routesFile('{ "routes": {} }'), '--no-routes'], az.dir, DEPLOY_ENV);
    expect(both.code).toBe(1);
    expect(both.stderr.trim()).toBe(`--routes and --no-routes exclude each other. ${USAGE}`);
    const bare = await deploy(['--resource-group', 'rg-bot', '--routes'], az.dir, DEPLOY_ENV);
    expect(bare.code).toBe(1);
    expect(bare.stderr.trim()).toBe(`--routes needs a value (it is followed by nothing). ${USAGE}`);
    expect(fs.existsSync(az.log)).toBe(false);
  });

  // An update is "run the same command again" (docs/deploy.md): run without --routes, it would put the unverified
  // guesses back in place of the corrections the running bot uses, which nobody would notice until a run fails.
  test('a redeploy without --routes over a bot that reads a routes file stops before provisioning, and says how to keep or drop it', async () => {
    const earlier = { properties: { parameters: { resourceBaseName: { type: 'String', value: 'dibotabc123' }, integratorRoutesFile: { type: 'String', value: 'integrator-routes.json' } } } };
    const az = pathWithAz({ ...group, 'deployment group show': { exit: 0, out: JSON.stringify(earlier) } });
    const run = await deploy(['--resource-group', 'rg-bot'], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'The bot in rg-bot reads corrected Data Integrator routes (integrator-routes.json, shipped by an earlier --routes), and this deploy would drop them: pass --routes <file> again to keep them, or --no-routes to go back to the built-in routes.',
    ]);
    expect(fs.readFileSync(az.log, 'utf8').trim().split('\n').map((l) => l.split(' --')[0])).toEqual(['account show', 'group show', 'deployment group show']);
  });

  test('the earlier deployment cannot be read (not a missing one): stopped before provisioning, with the CLI\'s line', async () => {
    const az = pathWithAz({ ...group, 'deployment group show': { exit: 1, err: 'ERROR: The service is unavailable.' } });
    const run = await deploy(['--resource-group', 'rg-bot'], az.dir, DEPLOY_ENV);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['Could not read the earlier deployment data-integration-bot in rg-bot (to keep its routes file): ERROR: The service is unavailable.']);
  });
});
