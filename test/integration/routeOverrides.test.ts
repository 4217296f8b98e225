import fs from 'node:fs';
import path from 'node:path';
import { startApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ROUTES } from '../../src/integration/routes';
import { applyRouteOverrides, loadRouteOverrides, RELEASE_ROUTES_FILE, routesFileToRead } from '../../src/integration/routeOverrides';
import { tempDataDir } from '../helpers/harness';

describe('INTEGRATOR_ROUTES_FILE', () => {
  test('named routes take the file\'s method and path and become confirmed; the others stay as they are', () => {
    const { routes, overridden } = applyRouteOverrides({ routes: { runProject: { method: 'PUT', path: '/api/Projects/{projectName}/Run' } } });
    expect(routes.runProject).toMatchObject({ method: 'PUT', path: 'api/Projects/{projectName}/Run', evidence: 'confirmed', service: 'integrator' });
    expect(routes.listTemplates).toBe(ROUTES.listTemplates);
    expect(overridden).toEqual(['runProject']);
  });

  test('without a file the route table is ROUTES', () => {
    expect(loadRouteOverrides(undefined)).toEqual({ routes: ROUTES, overridden: [] });
  });

  test.each([
    [{ routes: { listTemplatez: { method: 'GET', path: 'api/Templates' } } }, /^routes\.listTemplatez: not a Data Integrator route \(known: listProjects, /],
    [{ routes: { listEnvironments: { method: 'GET', path: 'x' } } }, /^routes\.listEnvironments: not a Data Integrator route/],
    [{ routes: { runProject: { method: 'DELETE', path: 'api/Run' } } }, /^routes\.runProject\.method: method must be GET, PUT or POST$/],
    [{ routes: { runProject: { method: 'POST', path: 'api/Projects/{projectId}/Run' } } }, /^routes\.runProject: path parameter \{projectId\} is not one of this route's \(\{projectName\}\)$/],
    [{ routes: { listTemplates: { method: 'GET', path: 'api/{x}' } } }, /^routes\.listTemplates: path parameter \{x\} is not one of this route's \(none\)$/],
    [{ listTemplates: { method: 'GET', path: 'api/Templates' } }, /^routes: /],
  ])('%j is refused with a message naming the entry', (content, message) => {
    expect(() => applyRouteOverrides(content)).toThrow(message);
  });

  test('the bot does not start with a bad file, and says which entry is wrong', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'routes.json');
    fs.writeFileSync(file, JSON.stringify({ routes: { runProject: { method: 'POST', path: 'api/Projects/{projectId}/Run' } } }));
    const startWith = (routesFile: string) => {
      const config = loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', INTEGRATOR_BASE_URL: 'http://127.0.0.1:9/', INTEGRATOR_ROUTES_FILE: routesFile }, 'test');
      return startApp(config, createLogger('silent'));
    };
    const start = startWith(file);
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow('INTEGRATOR_ROUTES_FILE: routes.runProject: path parameter {projectId} is not one of this route\'s ({projectName})');
    fs.writeFileSync(file, 'not json');
    await expect(startWith(file)).rejects.toThrow(/INTEGRATOR_ROUTES_FILE: .*routes\.json could not be read as JSON/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the file the bot reads: INTEGRATOR_ROUTES_FILE when set, else the release\'s own integrator-routes.json beside its code, else none', () => {
    const release = tempDataDir();
    try {
      // A release without a routes file (none in the project when it was built): the built-in routes.
      expect(routesFileToRead(undefined, release)).toBeUndefined();
      fs.writeFileSync(path.join(release, RELEASE_ROUTES_FILE), '{ "routes": {} }');
      expect(routesFileToRead(undefined, release)).toBe(path.join(release, RELEASE_ROUTES_FILE));
      // The variable, when set, wins over the shipped file.
      expect(routesFileToRead('elsewhere.json', release)).toBe('elsewhere.json');
    } finally {
      fs.rmSync(release, { recursive: true, force: true });
    }
    // Run from src/ or dist/src/ (npm start, tests), the code's folder holds no routes file: a local start keeps the
    // built-in routes unless INTEGRATOR_ROUTES_FILE is set, even with a checked file in the project.
    expect(routesFileToRead(undefined)).toBeUndefined();
  });
});
