import { adviceFor, dataflowsUnreadable, failureText, isTransient, needsSignIn } from '../../src/integration/errorCatalogue';
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

  test('an environment\'s dataflow refreshes not read, for every failure: what failed in Dataverse\'s terms (never "the project", "sign in" nor "try again in a minute") and what an admin does', () => {
    const dataverse = (code: DataIntegrationErrorCode, more: { retryable?: boolean; tokenOf?: 'bot' } = {}) =>
      new DataIntegrationError(`Dataverse said no (${code}).`, { service: 'dataverse', code, ...more });
    const told = (err: unknown) => { const { why, next } = dataflowsUnreadable(err); return `${ENGLISH.reply(why)}. ${ENGLISH.reply(next)}`; };
    for (const code of CODES) {
      const words = told(dataverse(code, { retryable: ['throttled', 'server_error', 'timeout', 'network'].includes(code) }));
      expect(words).not.toMatch(/project|sign in|sign-in to|try again in a minute/i);
    }
    expect(told(dataverse('not_found'))).toMatch(/^the environment's Dataverse answered that it has no dataflow refresh history .*An admin should check/);
    expect(told(dataverse('malformed_response'))).toMatch(/^the environment's Dataverse answered in a way I do not understand\. Tell whoever runs the bot/);
    expect(told(dataverse('network', { retryable: true }))).toMatch(/^the environment's Dataverse is not answering\. An admin should check/);
    expect(told(new Error('socket hang up'))).toMatch(/^the environment's Dataverse is not answering\./);
    for (const refused of [dataverse('forbidden', { tokenOf: 'bot' }), dataverse('unauthorized'), dataverse('no_token')]) {
      expect(told(refused)).toMatch(/^the environment's Dataverse refused the bot's own access\. Signing in again will not help/);
    }
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
