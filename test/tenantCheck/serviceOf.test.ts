import { ROUTES } from '../../src/integration/routes';
import type { Exchange } from '../../tools/tenantCheck/exchange';
import { compileRoutes } from '../../tools/tenantCheck/routeMatcher';
import { audienceOf, serviceOf } from '../../tools/tenantCheck/serviceOf';

const integrator = compileRoutes(ROUTES).filter((r) => r.spec.service === 'integrator');
const jwt = (aud: string) => `Bearer e30.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`;
const call = (url: string, authorization?: string, method = 'GET'): Exchange => ({
  method, url: new URL(url), requestHeaders: authorization ? { authorization } : {}, status: 200, responseHeaders: {},
});

describe('telling the services apart in a capture', () => {
  test('the Data Integrator by the audience of the token the portal sent, whatever its host', () => {
    expect(audienceOf(jwt('https://IntegratorApp.com'))).toBe('https://IntegratorApp.com');
    expect(serviceOf(call('https://gw-7.example.net/pms/api/Anything', jwt('https://IntegratorApp.com')), integrator)).toBe('integrator');
    expect(serviceOf(call('https://gw-7.example.net/pms/api/Anything', jwt('https://graph.microsoft.com')), integrator)).toBeUndefined();
  });

  test('or by its host name, or by a path shape of the route table', () => {
    expect(serviceOf(call('https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/api/Whatever'), integrator)).toBe('integrator');
    expect(serviceOf(call('https://unknown.example.net/x/api/ProjectSummary'), integrator)).toBe('integrator');
  });

  test('--integrator-host decides for hosts that show no sign', () => {
    expect(serviceOf(call('https://gw.example.net/api/Jobs'), integrator, { integratorHost: 'gw.example.net' })).toBe('integrator');
    expect(serviceOf(call('https://other.example.net/api/ProjectSummary'), integrator, { integratorHost: 'gw.example.net' })).toBeUndefined();
  });

  test('the documented services by their paths', () => {
    expect(serviceOf(call('https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments'), integrator)).toBe('bap');
    expect(serviceOf(call('https://api.powerapps.com/providers/Microsoft.PowerApps/connections'), integrator)).toBe('powerapps');
    expect(serviceOf(call('https://contoso.crm4.dynamics.com/api/data/v9.2/WhoAmI()'), integrator)).toBe('dataverse');
  });

  test.each([
    ['a static file', 'https://projectmanagementservice.eu.powerapps.com/static/js/main.js'],
    ['sign-in', 'https://login.microsoftonline.com/common/oauth2/v2.0/token'],
    ['telemetry', 'https://browser.events.data.microsoft.com/OneCollector/1.0/'],
  ])('%s is ignored, even with the integrator token', (_, url) => {
    expect(serviceOf(call(url, jwt('https://IntegratorApp.com')), integrator)).toBeUndefined();
  });
});
