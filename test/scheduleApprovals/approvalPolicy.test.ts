import { eligibleApprovers, mayDecide, REFUSALS } from '../../src/scheduleApprovals/approvalPolicy';
import { ENGLISH } from '../../src/words/words';

const ANN = 'AAAAAAAA-0000-0000-0000-000000000001';
const BOB = 'bbbbbbbb-0000-0000-0000-000000000002';
const EVE = 'eeeeeeee-0000-0000-0000-000000000003';

describe('who may decide a schedule request', () => {
  const strict = { approvers: [ANN, BOB], allowSelfApproval: false };
  const lenient = { approvers: [ANN, BOB], allowSelfApproval: true };

  test.each([
    ['an approver approves another person\'s request', strict, BOB, ANN, 'approve', undefined],
    ['approver ids match whatever their case', strict, ANN.toLowerCase(), EVE, 'approve', undefined],
    ['a non-approver is refused', strict, EVE, ANN, 'approve', REFUSALS.notApprover],
    ['a non-approver cannot reject either', strict, EVE, ANN, 'reject', REFUSALS.notApprover],
    ['an approver may not approve their own request', strict, ANN, ANN, 'approve', REFUSALS.selfApproval],
    ['but may withdraw it by rejecting', strict, ANN, ANN, 'reject', undefined],
    ['ALLOW_SELF_APPROVAL lets an approver approve their own', lenient, ANN, ANN, 'approve', undefined],
    ['ALLOW_SELF_APPROVAL does not make a requester an approver', lenient, EVE, EVE, 'approve', REFUSALS.notApprover],
    ['a click without an Azure AD id is refused', strict, undefined, ANN, 'approve', REFUSALS.unknownActor],
    ['with no approvers configured nobody decides', { approvers: [], allowSelfApproval: true }, ANN, EVE, 'approve', REFUSALS.notApprover],
  ] as const)('%s', (_name, policy, actor, requester, decision, refusal) => {
    const verdict = mayDecide(policy, actor, requester, decision);
    expect(verdict).toEqual(refusal ? { allowed: false, reason: refusal } : { allowed: true });
  });

  test('refusals tell the person what to do next', () => {
    expect(ENGLISH.reply(REFUSALS.notApprover)).toMatch(/Ask one of them|SCHEDULE_APPROVERS/);
    expect(ENGLISH.reply(REFUSALS.selfApproval)).toMatch(/another approver/);
  });

  test('the requester gets no buttons unless self-approval is allowed', () => {
    expect(eligibleApprovers(strict, ANN)).toEqual([BOB]);
    expect(eligibleApprovers(lenient, ANN)).toEqual([ANN, BOB]);
    expect(eligibleApprovers({ approvers: [ANN], allowSelfApproval: false }, ANN)).toEqual([]);
  });
});
