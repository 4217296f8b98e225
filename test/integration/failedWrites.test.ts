import type http from 'node:http';
import { createDataIntegration } from '../../src/integration';
import { failureText } from '../../src/integration/errorCatalogue';
import { applyRouteOverrides } from '../../src/integration/routeOverrides';
import { staticTokenProvider } from '../../src/integration/tokens';
import { ENGLISH, said, Words } from '../../src/words/words';
import { answerJson, loopbackService } from '../helpers/loopbackService';

const clientOf = (origin: string, routes?: ReturnType<typeof applyRouteOverrides>['routes']) => createDataIntegration({
  baseUrls: { bap: origin, powerapps: origin, integrator: `${origin}/integrator/` }, routes,
  tokens: staticTokenProvider('a-token'), timeoutMs: 2000, maxRetries: 3, backoff: { initialDelayMs: 1, maxDelayMs: 5 },
});

describe('a write that fails after the service may have received it', () => {
  test.each([
    ['a 500', (res: http.ServerResponse) => answerJson(res, 500, { error: { code: 'GatewayError', message: 'upstream reset' } })],
    ['a reset connection', (res: http.ServerResponse) => { res.socket?.destroy(); }],
  ])('after %s, "Run now" is sent once and the person is not told that nothing changed', async (_, answer) => {
    const integrator = await loopbackService((_req, res) => answer(res));
    try {
      const error = await clientOf(integrator.origin).runProject('A').then(() => undefined, (e: unknown) => e);
      expect(integrator.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
      const what = said('what.run', { project: 'A' });
      const english = ENGLISH.reply(failureText(error, what));
      expect(english).not.toMatch(/Nothing was changed/);
      expect(english).toMatch(/I cannot tell whether it was done: type "status"/);
      expect(new Words('de').reply(failureText(error, what))).toMatch(/weiß ich nicht, ob es ausgeführt wurde/);
    } finally {
      await integrator.close();
    }
  });

  test('a service that refused the connection is said to have changed nothing (the request never left)', async () => {
    const integrator = await loopbackService(() => undefined);
    await integrator.close();
    const error = await clientOf(integrator.origin).runProject('A').then(() => undefined, (e: unknown) => e);
    expect(ENGLISH.reply(failureText(error, said('what.run', { project: 'A' })))).toMatch(/Nothing was changed/);
  });

  test('a 503 (not processed) is retried and said to have changed nothing; a read that fails says nothing changed', async () => {
    const integrator = await loopbackService((_req, res) => answerJson(res, 503, { error: { message: 'busy' } }));
    try {
      const run = await clientOf(integrator.origin).runProject('A').then(() => undefined, (e: unknown) => e);
      expect(integrator.seen.filter((s) => s.method === 'POST')).toHaveLength(4);
      expect(ENGLISH.reply(failureText(run, said('what.run', { project: 'A' })))).toMatch(/Nothing was changed/);
      const list = await clientOf(integrator.origin).listProjects().then(() => undefined, (e: unknown) => e);
      expect(ENGLISH.reply(failureText(list, said('what.listProjects')))).toMatch(/Nothing was changed/);
    } finally {
      await integrator.close();
    }
  });
});

describe('a routes file that changes a write to POST', () => {
  test('the create is not resent after a 500 (a POST is not safe to send twice)', async () => {
    const integrator = await loopbackService((_req, res) => answerJson(res, 500, { error: { code: 'InternalError', message: 'upstream reset' } }));
    try {
      const { routes } = applyRouteOverrides({ routes: { createProject: { method: 'POST', path: 'api/Projects/{projectName}' } } });
      expect(routes.createProject.idempotent).toBe(false);
      await clientOf(integrator.origin, routes).createProject({
        name: 'p1', templateName: 't', connectionSetName: 'cs', consent: true,
        organizationMapping: { dynamicsOrganization: 'org', dataverseOrganizationId: '00000000-0000-4000-8000-000000000001' },
      }).catch(() => undefined);
      expect(integrator.seen.filter((s) => s.method === 'POST' && s.url === '/integrator/api/Projects/p1')).toHaveLength(1);
    } finally {
      await integrator.close();
    }
  });

  test('a correction never makes a route safer to resend: a run stays unsafe as PUT, pause stays safe as POST', () => {
    const { routes } = applyRouteOverrides({ routes: {
      runProject: { method: 'PUT', path: 'api/Project/{projectName}/Run' },
      pauseSchedule: { method: 'POST', path: 'api/Project/{projectName}/Pause' },
      setSchedule: { method: 'PUT', path: 'api/Project/{projectName}/Schedules' },
    } });
    expect([routes.runProject.idempotent, routes.pauseSchedule.idempotent, routes.setSchedule.idempotent]).toEqual([false, true, true]);
  });
});
