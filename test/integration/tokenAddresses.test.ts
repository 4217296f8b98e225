import { z } from 'zod';
import { createDataIntegration } from '../../src/integration';
import { HttpClient } from '../../src/integration/http/httpClient';
import { ROUTES } from '../../src/integration/routes';
import { dataverseWebApi } from '../../src/integration/services/dataverseClient';
import { staticTokenProvider } from '../../src/integration/tokens';
import { answerJson, loopbackService } from '../helpers/loopbackService';

const TOKEN = 'planted-bearer-token';

describe('a redirect is not followed with the token', () => {
  test('a 302 to a path outside the base URL on the same host: no request goes there, the call fails plainly', async () => {
    const service = await loopbackService((req, res) => {
      if (req.url === '/integrator/api/ProjectSummary') {
        res.writeHead(302, { location: '/elsewhere/ProjectSummary' });
        res.end();
      } else answerJson(res, 200, []);
    });
    try {
      const client = new HttpClient({ tokens: staticTokenProvider(TOKEN), timeoutMs: 2000, maxRetries: 0 });
      const failure = await client.send({ route: ROUTES.listProjects, baseUrl: `${service.origin}/integrator/`, scope: 'x', schema: z.unknown() }).then(() => undefined, (e: unknown) => e);
      expect(failure).toMatchObject({ name: 'DataIntegrationError', status: 302 });
      expect(service.seen.map((s) => s.url)).toEqual(['/integrator/api/ProjectSummary']);
    } finally {
      await service.close();
    }
  });
});

describe('a Dataverse token goes only to its own instance', () => {
  const env = (instanceUrl: string, instanceApiUrl: string) => ({ name: 'env1', displayName: 'Env 1', instanceUrl, instanceApiUrl });

  test('an environment whose Web API is on another host gets no token: the call is refused before it leaves', async () => {
    const other = await loopbackService((_req, res) => answerJson(res, 200, { OrganizationId: '00000000-0000-4000-8000-000000000003' }));
    const bap = await loopbackService((_req, res) => answerJson(res, 200, { value: [{
      id: '/providers/Microsoft.BusinessAppPlatform/environments/env1', name: 'env1', location: 'europe',
      properties: { displayName: 'Env 1', linkedEnvironmentMetadata: { instanceUrl: 'https://contoso.crm4.dynamics.com/', instanceApiUrl: `${other.origin}/` } },
    }] }));
    try {
      const scopes: string[] = [];
      const di = createDataIntegration({
        baseUrls: { bap: `${bap.origin}/bap/`, powerapps: `${bap.origin}/`, integrator: `${bap.origin}/integrator/` },
        tokens: { getToken: async (scope) => { scopes.push(scope); return `${TOKEN}-for-${scope}`; } }, timeoutMs: 2000, maxRetries: 0,
      });
      // The stand-in rule trusts the BAP host's own origin; `other` is a different one.
      const failure = await di.getOrganizationId('env1').then(() => undefined, (e: unknown) => e);
      expect(failure).toMatchObject({ code: 'refused_address', service: 'dataverse' });
      expect(other.seen).toEqual([]);
      expect(scopes.filter((s) => s.includes('dynamics'))).toEqual([]);
    } finally {
      await bap.close();
      await other.close();
    }
  });

  test.each([
    ['its own host', true, 'https://contoso.crm4.dynamics.com/', 'https://contoso.crm4.dynamics.com/'],
    ['its .api. host', true, 'https://contoso.crm4.dynamics.com/', 'https://contoso.api.crm4.dynamics.com/'],
    ['a sovereign cloud\'s .api. host', true, 'https://org.crm.microsoftdynamics.us/', 'https://org.api.crm.microsoftdynamics.us/'],
    ['plain http on its host', false, 'https://contoso.crm4.dynamics.com/', 'http://contoso.api.crm4.dynamics.com/'],
    ['another organization', false, 'https://contoso.crm4.dynamics.com/', 'https://fabrikam.api.crm4.dynamics.com/'],
    ['a look-alike domain', false, 'https://contoso.crm4.dynamics.com/', 'https://contoso.api.crm4.dynamics.com.evil.example/'],
    ['another port', false, 'https://contoso.crm4.dynamics.com/', 'https://contoso.api.crm4.dynamics.com:8443/'],
  ])('a Web API on %s: token sent = %s', (_, sent, instanceUrl, apiUrl) => {
    const call = () => dataverseWebApi('https://api.bap.microsoft.com/')(env(instanceUrl, apiUrl));
    if (sent) expect(call()).toEqual({ baseUrl: apiUrl, scope: `${new URL(instanceUrl).origin}/.default` });
    else expect(call).toThrow(expect.objectContaining({ code: 'refused_address' }));
  });
});
