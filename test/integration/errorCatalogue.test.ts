import { adviceFor, failureText, isTransient, needsSignIn } from '../../src/integration/errorCatalogue';
import { DataIntegrationError, DataIntegrationErrorCode } from '../../src/integration/errors';
import { ENGLISH, said } from '../../src/words/words';

const CODES: DataIntegrationErrorCode[] = [
  'validation', 'conflict', 'not_found', 'unauthorized', 'forbidden', 'throttled', 'server_error', 'timeout',
  'network', 'malformed_response', 'refused_address', 'no_token', 'no_dataverse', 'http_error',
];
const error = (code: DataIntegrationErrorCode, retryable = false) =>
  new DataIntegrationError(`The service said no (${code}).`, { service: 'integrator', code, retryable });
const text = (err: unknown, what: ReturnType<typeof said>) => ENGLISH.reply(failureText(err, what));

describe('the error catalogue', () => {
  test.each(CODES)('%s has a title and a next step', (code) => {
    const advice = adviceFor(error(code));
    expect(ENGLISH.reply(advice.title).length).toBeGreaterThan(10);
    expect(ENGLISH.reply(advice.next)).toMatch(/[.!]$/);
  });

  test('a failure is transient exactly when the client said trying again may work', () => {
    expect(isTransient(error('server_error', true))).toBe(true);
    expect(isTransient(error('validation', false))).toBe(false);
  });

  test('a missing or refused token always says to type "sign in"', () => {
    for (const code of ['no_token', 'unauthorized'] as const) {
      expect(needsSignIn(error(code))).toBe(true);
      expect(text(error(code), said('what.pause', { project: 'A' }))).toBe(
        'I could not pause the schedule of "A": your sign-in to Data Integration is missing or has expired. Nothing was changed. Type "sign in", then try again.',
      );
    }
    expect(needsSignIn(error('validation'))).toBe(false);
  });

  test('a refusal of the bot\'s own identity (BAP, Power Apps, Dataverse) names the admin\'s fix, never "sign in"', () => {
    const bots = (service: 'bap' | 'powerapps' | 'dataverse', code: DataIntegrationErrorCode) =>
      new DataIntegrationError('refused', { service, code, tokenOf: 'bot' });
    for (const code of ['no_token', 'unauthorized', 'forbidden'] as const) {
      for (const service of ['bap', 'powerapps'] as const) {
        expect(needsSignIn(bots(service, code))).toBe(false);
        expect(text(bots(service, code), said('what.listDataflows'))).toBe(
          'I could not list the dataflows: the Power Platform refused the bot\'s own access. Signing in again will not help: ask a Power Platform admin to register the bot as a management application (the deployment guide says how).',
        );
      }
      expect(needsSignIn(bots('dataverse', code))).toBe(false);
      expect(ENGLISH.reply(adviceFor(bots('dataverse', code)).next)).toMatch(/^Signing in again will not help: ask an admin of that environment to add the bot as an application user/);
    }
    // The person's own token refused: sign in, as before; and a bot's call refused for another reason keeps its advice.
    expect(needsSignIn(new DataIntegrationError('refused', { service: 'integrator', code: 'unauthorized', tokenOf: 'person' }))).toBe(true);
    expect(adviceFor(bots('bap', 'server_error')).next.id).toBe(adviceFor(error('server_error')).next.id);
  });

  test('a transient failure hides service detail; a refusal says the service\'s own words', () => {
    expect(text(error('server_error', true), said('what.listProjects'))).toBe(
      'I could not list the projects: the Data Integration service is not answering. Nothing was changed: it is down or busy right now, so try again in a minute.',
    );
    // Issue 28: a time-out cannot say that nothing changed; it says how to find out.
    expect(text(error('timeout', true), said('what.pause', { project: 'A' }))).toMatch(/^I could not pause the schedule of "A": the Data Integration service is not answering\. .*cannot tell whether it was done: type "status" in a minute/);
    expect(text(error('validation'), said('what.run', { project: 'A' }))).toBe('I could not run "A": the service said: “The service said no (validation)”. Correct what it names and try again.');
  });

  test('a project the service does not know reads as one sentence, not the catalogue\'s title lower-cased into another (issue 29)', () => {
    expect(text(error('not_found'), said('what.listProjects'))).toBe(
      'I could not list the projects: Data Integration has no such item (any more). Type "status" to see the projects.',
    );
  });

  test('anything but a service error is not the catalogue\'s to explain', () => {
    expect(() => failureText(new TypeError('bug'), said('what.listProjects'))).toThrow(TypeError);
  });
});
