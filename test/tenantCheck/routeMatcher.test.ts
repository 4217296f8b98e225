import { ROUTES } from '../../src/integration/routes';
import { applyRouteOverrides } from '../../src/integration/routeOverrides';
import { compileRoutes, matchRoute } from '../../tools/tenantCheck/routeMatcher';

const routes = compileRoutes(ROUTES);

describe('matching a call to the route table (method + path template)', () => {
  test.each([
    ['GET', '/api/ProjectSummary', 'listProjects', '/', {}],
    ['GET', '/IntegratorApp/ProjectManagementService/api/Project/Acc%20Sync', 'getProject', '/IntegratorApp/ProjectManagementService/', { projectName: 'Acc Sync' }],
    ['PUT', '/integrator/api/Project/AccSync', 'createProject', '/integrator/', { projectName: 'AccSync' }],
    ['POST', '/api/Project/AccSync/Execute', 'runProject', '/', { projectName: 'AccSync' }],
    ['GET', '/api/data/v9.2/WhoAmI()', 'whoAmI', '/', {}],
    ['GET', '/api/data/v9.2/accounts', 'listRecords', '/', { entitySetName: 'accounts' }],
    ['GET', '/providers/Microsoft.PowerApps/scopes/admin/environments/env-1/connections', 'listConnections', '/', { environmentName: 'env-1' }],
  ])('%s %s is %s under base path %s', (method, path, name, basePath, params) => {
    expect(matchRoute(routes, method, path)).toMatchObject({ route: { name }, basePath, params });
  });

  test.each([
    ['POST', '/api/ProjectSummary'],
    ['GET', '/api/Projects/AccSync'],
    ['GET', '/api/Project/AccSync/Runs/7'],
  ])('%s %s matches no route (wrong method, renamed or longer path)', (method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });

  test('an override file changes what matches', () => {
    const { routes: table } = applyRouteOverrides({ routes: { listTemplates: { method: 'GET', path: 'api/Templates' } } });
    const compiled = compileRoutes(table);
    expect(matchRoute(compiled, 'GET', '/api/Templates')).toMatchObject({ route: { name: 'listTemplates', spec: { evidence: 'confirmed' } } });
    expect(matchRoute(compiled, 'GET', '/api/Template')).toBeUndefined();
  });
});
