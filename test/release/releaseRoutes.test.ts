import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReleaseCommand } from '../../scripts/release/buildRelease';
import { PROJECT_ROUTES_FILE, projectRoutes, routesLine } from '../../scripts/release/releaseRoutes';
import { loadRouteOverrides } from '../../src/integration/routeOverrides';

/** A project folder holding only `tenant-check/integrator-routes.json` with `text` (none when undefined). */
function projectWithRoutes(text?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'di-release-routes-'));
  if (text !== undefined) {
    fs.mkdirSync(path.join(root, 'tenant-check'));
    fs.writeFileSync(path.join(root, PROJECT_ROUTES_FILE), text);
  }
  return root;
}

/** What the bot says of the same file at its start (and the tenant check): the loader's own message. */
function loaderSays(file: string): string {
  try { loadRouteOverrides(file); } catch (err) { return (err as Error).message; }
  throw new Error(`${file} was accepted`);
}

describe('npm run build:release ships the routes file the project holds at tenant-check/integrator-routes.json', () => {
  const roots: string[] = [];
  const project = (text?: string) => { const root = projectWithRoutes(text); roots.push(root); return root; };
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  test('where the tenant check writes it with --out ./tenant-check, as docs/tenant-check.md runs it', () => {
    expect(PROJECT_ROUTES_FILE).toBe('tenant-check/integrator-routes.json');
    expect(fs.readFileSync(path.join(__dirname, '../../docs/tenant-check.md'), 'utf8')).toContain('--out ./tenant-check');
  });

  test('no file: the built-in routes, and the build and the deploy say so', () => {
    expect(projectRoutes(project())).toBeUndefined();
    expect(routesLine(undefined)).toBe("No routes file (tenant-check/integrator-routes.json): the release ships the bot's built-in Data Integrator routes");
  });

  test('a good file: its bytes as checked, the routes it corrects, and the line that names them', () => {
    const text = '{ "routes": { "runProject": { "method": "POST", "path": "api/Projects/{projectName}/Run" }, "listTemplates": { "method": "GET", "path": "api/Templates" } } }\n';
    const routes = projectRoutes(project(text))!;
    expect(routes.bytes.toString('utf8')).toBe(text);
    expect(routes.overridden).toEqual(['runProject', 'listTemplates']);
    expect(routesLine(routes)).toBe('Routes file tenant-check/integrator-routes.json: corrects runProject, listTemplates; shipped in the release as integrator-routes.json, beside index.js');
    expect(routesLine(projectRoutes(project('{ "routes": {} }')))).toBe('Routes file tenant-check/integrator-routes.json: corrects no route; shipped in the release as integrator-routes.json, beside index.js');
  });

  test.each([
    ['a route the bot does not know', '{ "routes": { "launchRockets": { "method": "POST", "path": "api/Rockets" } } }'],
    ['a path to another host', '{ "routes": { "runProject": { "method": "POST", "path": "//evil.example/{projectName}" } } }'],
    ['a key written twice', '{ "routes": { "runProject": { "method": "POST", "path": "api/Projects/{projectName}/Run" }, "runProject": { "method": "GET", "path": "api/x/{projectName}" } } }'],
    ['not JSON', '{ routes: '],
  ])('%s: build:release stops with exit 2 and one line holding the bot\'s own message, and writes no release', async (_what, text) => {
    const root = project(text);
    const errors: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await buildReleaseCommand(root)).toBe(2);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
    expect(errors).toEqual([`Release NOT built: tenant-check/integrator-routes.json would stop the bot at start: ${loaderSays(path.join(root, PROJECT_ROUTES_FILE))}`]);
    for (const output of ['dist/release/bot', 'dist/release/bot.zip', 'dist/release/inputs.json']) expect(fs.existsSync(path.join(root, output))).toBe(false);
  });
});
