/**
 * What one attempt to save an approved schedule comes to when neither the requester's sign-in nor the approver's
 * saves it: each of the two can be missing (signed out), refused by the service (401) or not allowed (403). Only a
 * 403 to both ends the approval as refused; otherwise it waits, and the reason (shown on the card, told to the
 * requester) names what is wrong with each sign-in, so the right person signs in (again).
 */
import { DataIntegrationError, type DataIntegration } from '../../src/integration/port';
import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import { saveSchedule } from '../../src/scheduleApprovals/scheduleSaving';
import { Words } from '../../src/words/words';
import { FakeIntegration } from '../helpers/fakeIntegration';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const request: ApprovalRequest = {
  id: 'r1', projectName: 'AccSync', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general',
  status: 'approved', requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
  decidedBy: BOB, decidedAt: '2025-03-01T09:01:00.000Z',
};

type Problem = 'signedOut' | 'refused' | 'forbidden';
const errors = {
  refused: () => new DataIntegrationError('The access token is expired.', { service: 'integrator', code: 'unauthorized', status: 401, tokenOf: 'person' }),
  forbidden: () => new DataIntegrationError('The user may not change this project.', { service: 'integrator', code: 'forbidden', status: 403, tokenOf: 'person' }),
};
/** A sign-in with `problem`: none, or one whose every call the service answers with it. */
const signIn = (problem: Problem): DataIntegration | undefined => {
  if (problem === 'signedOut') return undefined;
  const fail = async (): Promise<never> => { throw errors[problem](); };
  return { ...new FakeIntegration().addProject('AccSync').client, getSchedule: fail, setSchedule: fail };
};
const attempt = (hers: Problem, his: Problem) => saveSchedule(request, { requester: signIn(hers), approver: async () => signIn(his) }, async () => ({}));

describe('neither sign-in saves the approved schedule', () => {
  test.each<[Problem, Problem, RegExp]>([
    ['signedOut', 'signedOut', /^neither Ada Admin \(who asked\) nor Bob Approver \(who approved\) is signed in to Data Integration/],
    ['signedOut', 'refused', /^Ada Admin \(who asked\) is not signed in to Data Integration, and it refused the sign-in of Bob Approver \(who approved\): either of them can sign in \(again\) by typing "sign in" to me$/],
    ['signedOut', 'forbidden', /^Ada Admin \(who asked\) is not signed in to Data Integration, and it does not let the sign-in of Bob Approver \(who approved\) save it: Ada Admin can sign in by typing "sign in" to me$/],
    ['refused', 'signedOut', /^Data Integration refused the sign-in of Ada Admin \(who asked\), and Bob Approver \(who approved\) is not signed in: either of them can sign in \(again\)/],
    ['refused', 'refused', /^Data Integration refused the sign-in of Ada Admin \(who asked\) and of Bob Approver \(who approved\): either of them can sign in again by typing "sign in" to me$/],
    ['refused', 'forbidden', /^Data Integration refused the sign-in of Ada Admin \(who asked\) and does not let the sign-in of Bob Approver \(who approved\) save it: Ada Admin can sign in again by typing "sign in" to me$/],
    ['forbidden', 'signedOut', /^Data Integration does not let the sign-in of Ada Admin \(who asked\) save it, and Bob Approver \(who approved\) is not signed in: Bob Approver can sign in/],
    ['forbidden', 'refused', /^Data Integration does not let the sign-in of Ada Admin \(who asked\) save it, and refused the sign-in of Bob Approver \(who approved\): Bob Approver can sign in again by typing "sign in" to me$/],
  ])('hers %s, his %s: not saved yet, and the reason says what each sign-in lacks', async (hers, his, reason) => {
    const result = await attempt(hers, his);
    if (result.state !== 'notSaved') throw new Error(`not waiting: ${result.state}`);
    expect(new Words('en').reply(result.why)).toMatch(reason);
    // The German reason is German, and names both.
    expect(new Words('de').reply(result.why)).toMatch(/Ada Admin \(beantragt\).*Bob Approver \(genehmigt\)/);
  });

  test('a 403 to both sign-ins is final: the service\'s reason, with the approver\'s sign-in as the one asked last', async () => {
    expect(await attempt('forbidden', 'forbidden')).toMatchObject({
      state: 'failed', message: { id: 'text.asGiven', params: { text: { long: 'The user may not change this project.' } } }, signIn: { by: BOB, insteadOfRequester: 'forbidden' },
    });
  });
});
