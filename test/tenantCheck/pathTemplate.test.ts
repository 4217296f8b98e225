import { renameParams, templatePath } from '../../tools/tenantCheck/pathTemplate';

describe('templating the path of a call that matches no route', () => {
  const names = new Set(['AccSync', 'SalesToCds']);

  test.each([
    ['api/ConnectionSets', 'api/ConnectionSets'],
    ['api/Projects/AccSync/Run', 'api/Projects/{name}/Run'],
    ['api/Projects/5b1c8a64-3f0e-4c11-9a52-7f3e2d1c0b9a/Executions/42', 'api/Projects/{id}/Executions/{id2}'],
    ['api/ConnectionSet/SalesToCds/Projects/AccSync', 'api/ConnectionSet/{name}/Projects/{name2}'],
    ['api/Projects/Accounts%20sync', 'api/Projects/{name}'],
    ['api/Projects/tenant-check-20261204', 'api/Projects/{name}'],
  ])('%s -> %s', (path, template) => {
    expect(templatePath(path, names)).toBe(template);
  });

  test('the override path takes the route\'s parameter names, in order; a different count gives none', () => {
    expect(renameParams('api/Projects/{name}/Run', ['projectName'])).toBe('api/Projects/{projectName}/Run');
    expect(renameParams('api/Projects/{name}/Runs/{id}', ['projectName'])).toBeUndefined();
  });
});
