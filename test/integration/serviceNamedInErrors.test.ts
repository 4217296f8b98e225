import { failureText } from '../../src/integration/errorCatalogue';
import { DataIntegrationError, type ServiceName } from '../../src/integration/errors';
import { said, Words } from '../../src/words/words';

/** A failure is told as the failure of the service that failed: Dataverse and the Power Platform are not "Data Integration". */
describe('which service failed, in the answer', () => {
  test.each([
    ['dataverse', 'not_found', 404, /the environment's Dataverse has no such item.*watch dataflows/, /Dataverse der Umgebung kennt das/],
    ['dataverse', 'server_error', 503, /the environment's Dataverse is not answering/, /Dataverse der Umgebung antwortet nicht/],
    ['bap', 'server_error', 503, /the Power Platform is not answering/, /die Power Platform antwortet nicht/],
    ['integrator', 'not_found', 404, /Data Integration has no such item.*Type "status" to see the projects/, /Data Integration kennt das/],
  ] as const)('%s %s: named in both languages', (service: ServiceName, code, status, english, german) => {
    const err = new DataIntegrationError('Resource not found for the segment \'msdyn_dataflows\'', { service, code, status, retryable: status >= 500 });
    const what = said('what.listDataflows');
    expect(new Words('en').reply(failureText(err, what))).toMatch(english);
    expect(new Words('de').reply(failureText(err, what))).toMatch(german);
    if (service !== 'integrator') expect(new Words('en').reply(failureText(err, what))).not.toMatch(/Data Integration|projects/);
  });
});
