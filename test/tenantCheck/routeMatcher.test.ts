import { ROUTES } from '../../src/integration/routes';
import { applyRouteOverrides } from '../../src/integration/routeOverrides';
import { analyse } from '../../tools/tenantCheck/analyse';
import { overrideFileOf } from '../../tools/tenantCheck/recordings';
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

describe('naming a capture\'s unknown call after the route it probably is', () => {
  const base = 'https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/';
  const project = { id: 'p-1', name: 'tc1', displayName: 'tc1', entityMappingTasks: [] };
  const exchange = (method: string, path: string, requestBody: unknown, responseBody: unknown) => ({
    method, url: new URL(path, base), requestHeaders: {}, requestBody: requestBody === undefined ? undefined : JSON.stringify(requestBody),
    status: 200, responseHeaders: {}, responseBody: JSON.stringify(responseBody),
  });
  const createBody = {
    name: 'tc1', templateIdentifier: 'Accounts', connectionSetName: 'cs1', privacyConsent: true,
    dataPartitionMapping: { firstPartition: 'org', secondPartition: '00000000-0000-4000-8000-000000000001' },
  };

  test.each([
    ['the create first', [exchange('POST', 'api/Projects/tc1', createBody, project), exchange('GET', 'api/Projects/tc1', undefined, project)]],
    ['the read first', [exchange('GET', 'api/Projects/tc1', undefined, project), exchange('POST', 'api/Projects/tc1', createBody, project)]],
  ])('a create sent as POST with a create body is written as createProject, the read as getProject (%s)', (_, exchanges) => {
    const file = overrideFileOf(analyse(exchanges, ROUTES));
    expect(file.routes).toEqual({
      createProject: { method: 'POST', path: 'api/Projects/{projectName}' },
      getProject: { method: 'GET', path: 'api/Projects/{projectName}' },
    });
    // With that file, the bot still reads with GET, and does not resend the create (now a POST) after a 5xx.
    const { routes } = applyRouteOverrides(file);
    expect([routes.getProject.method, routes.createProject.idempotent]).toEqual(['GET', false]);
  });
});
