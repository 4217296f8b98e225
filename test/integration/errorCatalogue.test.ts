import { adviceFor, failureText, isTransient, needsSignIn } from '../../src/integration/errorCatalogue';
import { DataIntegrationError, DataIntegrationErrorCode } from '../../src/integration/errors';

const CODES: DataIntegrationErrorCode[] = [
  'validation', 'conflict', 'not_found', 'unauthorized', 'forbidden', 'throttled', 'server_error', 'timeout',
  'network', 'malformed_response', 'no_token', 'no_dataverse', 'http_error',
];
const error = (code: DataIntegrationErrorCode, retryable = false) =>
  new DataIntegrationError(`The service said no (${code}).`, { service: 'integrator', code, retryable });

describe('the error catalogue', () => {
  test.each(CODES)('%s has a title and a next step', (code) => {
    const advice = adviceFor(error(code));
    expect(advice.title.length).toBeGreaterThan(10);
    expect(advice.next).toMatch(/[.!]$/);
  });

  test('a failure is transient exactly when the client said trying again may work', () => {
    expect(isTransient(error('server_error', true))).toBe(true);
    expect(isTransient(error('validation', false))).toBe(false);
  });

  test('a missing or refused token always says to type "sign in"', () => {
    for (const code of ['no_token', 'unauthorized'] as const) {
      expect(needsSignIn(error(code))).toBe(true);
      expect(failureText(error(code), 'pause the schedule of "A"')).toBe(
        'I could not pause the schedule of "A": your sign-in to Data Integration is missing or has expired. Nothing was changed. Type "sign in", then try again.',
      );
    }
    expect(needsSignIn(error('validation'))).toBe(false);
  });

  test('a transient failure hides service detail; a refusal says the service\'s own words', () => {
    expect(failureText(error('server_error', true), 'list the projects')).toBe(
      'I could not list the projects: the Data Integration service is not answering. Nothing was changed: it is down or busy right now, so try again in a minute.',
    );
    // Issue 28: a time-out cannot say that nothing changed; it says how to find out.
    expect(failureText(error('timeout', true), 'pause the schedule of "A"')).toMatch(/^I could not pause the schedule of "A": the Data Integration service is not answering\. .*cannot tell whether it was done: type "status" in a minute/);
    expect(failureText(error('validation'), 'run "A"')).toBe('I could not run "A": the service said no (validation). Correct what it names and try again.');
  });

  test('anything but a service error is not the catalogue\'s to explain', () => {
    expect(() => failureText(new TypeError('bug'), 'x')).toThrow(TypeError);
  });
});
