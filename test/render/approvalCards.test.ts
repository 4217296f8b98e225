import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import { approvalDecidedCard, approvalHistoryCard, approvalRequestCard } from '../../src/render/approvalCards';
import { VERBS } from '../../src/verbs';
import { cardAction, cardInputs, cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { said, Words } from '../../src/words/words';

const request: ApprovalRequest = {
  id: 'req-1', projectName: 'Contoso ${evil} **accounts**', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' },
  requestedBy: { aadObjectId: 'ada', name: 'Ada Admin', userId: '29:ada' }, conversationId: '19:general', status: 'pending',
  requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z',
  approverUserIds: ['29:bob', '29:carol'], limitWarning: said('limit.near', { after: 46, limit: 50 }),
};

/** When the cards below are drawn: the moment of the request. */
const now = new Date(request.requestedAt);

describe('approval cards', () => {
  test('approvers get Approve and Reject (Action.Execute with an Action.Submit fallback) and a comment box', () => {
    const card = approvalRequestCard(request, { viewer: 'approver', approverUserIds: request.approverUserIds, now });
    expect(cardProblems(card)).toEqual([]);
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.refreshApproval, data: { requestId: 'req-1' } }, userIds: ['29:bob', '29:carol'] });
    const actions = card.actions as Array<Record<string, unknown>>;
    expect(actions.map((a) => [a.type, a.verb, (a.fallback as { type: string }).type])).toEqual([
      ['Action.Execute', VERBS.approveSchedule, 'Action.Submit'], ['Action.Execute', VERBS.rejectSchedule, 'Action.Submit'],
    ]);
    expect(cardAction(card, 'Approve')).toMatchObject({ requestId: 'req-1' });
    expect(cardInputs(card)).toHaveProperty('comment');
    const text = cardText(card);
    expect(text).toContain('Contoso $\u2060{evil} \u2217\u2217accounts\u2217\u2217'); // issue 21: shown as typed, no backslash, read as no markup
    expect(text).toContain('{{DATE(2025-03-01T09:05:00Z, SHORT)}} {{TIME(2025-03-01T09:05:00Z)}}');
    expect(text).toContain('scheduled project 46 of the 50');
    expect(text).toContain('Ada Admin');
  });

  // Issue 12 changed this view: the requester and everyone else get no button at all while the approvers are
  // known (they get theirs by refresh), and the card names whom it waits for.
  test('everyone else sees a read-only view with the same facts, the approvers it waits for, and no button', () => {
    const card = approvalRequestCard({ ...request, approverNames: ['Bob', 'Carol'] }, { viewer: 'everyone', approverUserIds: request.approverUserIds, notice: said('refusal.notApprover'), now });
    expect(cardProblems(card)).toEqual([]);
    expect(card.actions).toBeUndefined();
    expect(cardText(card)).toContain('Only the schedule approvers can approve or reject this request.');
    expect(cardText(card)).toContain('Waiting for Bob or Carol to approve or reject.');
  });

  test('when no approver can be refreshed, anyone may ask for their own view (an approver then gets the buttons)', () => {
    const card = approvalRequestCard(request, { viewer: 'everyone', approverUserIds: [], now });
    expect(() => cardAction({ actions: card.actions }, 'Approve')).not.toThrow(); // only inside the Action.Submit fallback for old clients
    expect((card.actions as Array<{ verb?: string }>).map((a) => a.verb)).toEqual([VERBS.refreshApproval]);
    expect(cardText(card)).toContain('Waiting for an approver');
  });

  test.each([
    ['approved, saving', { status: 'approved', scheduleState: 'applying' }, /Schedule approved.*Approved by \| Bob.*Saving the schedule/],
    ['approved and set', { status: 'approved', scheduleState: 'set', scheduledNextRunAt: '2025-03-01T09:05:00.000Z' }, /Scheduled\. First run \{\{DATE/],
    ['approved but refused by the service', { status: 'approved', scheduleState: 'failed', scheduleMessage: 'Limit reached.' }, /refused the schedule: Limit reached\./],
    ['approved, not saved yet (no answer, or nobody signed in): it says why and that it is tried again', { status: 'approved', scheduleMessage: said('approval.notSavedYet', { why: said('approval.whyNoSignIn', { requester: 'Ada', approver: 'Bob' }), until: { moment: '2025-03-01T16:00:00.000Z' } }) },
      /Saving the schedule… Not saved yet: neither Ada \(who asked\) nor Bob \(who approved\) is signed in.*I try again every few minutes until \{\{DATE/],
    ['approved, not saved for hours: not called a refusal, and says how to ask again', { status: 'approved', scheduleState: 'failed', scheduleGaveUp: true, scheduleMessage: said('approval.stoppedTrying', { why: 'no answer', hours: 6 }) },
      /It was not saved: no answer\. I tried for 6 hours and stopped\. To ask again, type "schedule Contoso/],
    ['approved, ended by an older version for want of a sign-in: not called a refusal', { status: 'approved', scheduleState: 'failed', scheduleMessage: said('approval.noSignIn') }, /^(?!.*refused).*Neither the requester nor the approver is signed in/],
    ['rejected', { status: 'rejected', comment: 'not now' }, /Schedule rejected.*Rejected by \| Bob.*not now.*was not set/],
    ['expired', { status: 'expired' }, /Schedule request expired.*so the schedule was not set/],
  ] as const)('decided card: %s', (_name, change, expected) => {
    const card = approvalDecidedCard({ ...request, decidedBy: { aadObjectId: 'bob', name: 'Bob' }, decidedAt: '2025-03-01T10:00:00.000Z', ...change } as ApprovalRequest);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(expected);
    // Issue 12: a rejected or expired request offers "Ask again" for the same schedule in one click.
    if (change.status === 'approved') expect(card.actions).toBeUndefined();
    else expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'Ask again', data: { verb: VERBS.command, command: 'schedule Contoso ${evil} **accounts** every 5 minutes' } }]);
    expect(card.refresh).toBeUndefined();
  });

  describe('whose sign-in saved an approved schedule', () => {
    const BOB = { aadObjectId: 'bob', name: 'Bob' };
    const approved = { ...request, status: 'approved', decidedBy: BOB, decidedAt: '2025-03-01T10:00:00.000Z', scheduleState: 'set', scheduledNextRunAt: '2025-03-01T10:05:00.000Z' } as const;

    test.each([
      ['refused', 'en', /Approved by \| Bob \| Saved with \| the sign-in of Bob, as the requester’s was refused \| .*Scheduled\. First run/],
      ['forbidden', 'en', /Saved with \| the sign-in of Bob, as the requester’s was not allowed to/],
      ['signedOut', 'en', /Saved with \| the sign-in of Bob, as the requester was not signed in/],
      ['signedOut', 'de', /Gespeichert mit \| der Anmeldung von Bob, da die beantragende Person nicht angemeldet war/],
    ] as const)('the approver\'s, as the requester\'s was %s (%s): the card says so', (why, lang, expected) => {
      const card = approvalDecidedCard({ ...approved, scheduleSignIn: { by: BOB, insteadOfRequester: why } }, undefined, new Words(lang));
      expect(cardProblems(card)).toEqual([]);
      expect(cardText(card)).toMatch(expected);
    });

    test.each([
      ['saved with the requester\'s own sign-in', { ...approved, scheduleSignIn: { by: request.requestedBy } }],
      ['refused by the service with the approver\'s (not saved)', { ...approved, scheduleState: 'failed', scheduleMessage: said('text.asGiven', { text: 'No.' }), scheduleSignIn: { by: BOB, insteadOfRequester: 'forbidden' } }],
    ] as const)('%s: no word of sign-ins', (_case, r) => {
      expect(cardText(approvalDecidedCard(r as ApprovalRequest))).not.toMatch(/sign-in|Saved with/);
    });
  });

  test('history lists who did what, newest first, and says when there is nothing', () => {
    const card = approvalHistoryCard('AccSync', [
      { requestId: 'r', projectName: 'AccSync', at: '2025-03-01T10:00:00.000Z', action: 'approved', actor: { aadObjectId: 'b', name: 'Bob' }, comment: 'ok' },
      { requestId: 'r', projectName: 'AccSync', at: '2025-03-01T09:00:00.000Z', action: 'requested', actor: { aadObjectId: 'a', name: 'Ada' }, detail: said('recurrence.every', { every: 5, unit: 'minutes' }) },
    ]);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/\*\*Bob\*\* approved — “ok”.*\*\*Ada\*\* asked for a schedule: every 5 minutes/);
    expect(cardText(approvalHistoryCard('AccSync', []))).toContain('No schedule has been requested');
  });

  test('"Next runs if approved now" count from when the card is drawn, not from when it was asked for', () => {
    const later = approvalRequestCard(request, { viewer: 'approver', approverUserIds: request.approverUserIds, now: new Date('2025-03-01T11:00:00.000Z') });
    const runs = cardText(later).match(/\{\{DATE\([^,]+, SHORT\)\}\} \{\{TIME\([^)]+\)\}\}/g) ?? [];
    expect(runs.filter((r) => !r.includes('2025-03-04'))).toEqual(['11:05', '11:10', '11:15'].map((t) => `{{DATE(2025-03-01T${t}:00Z, SHORT)}} {{TIME(2025-03-01T${t}:00Z)}}`));
  });

  test('a card with 60+ approvers lists 60 for refresh and stays under 28 KB', () => {
    const many = Array.from({ length: 80 }, (_, i) => `29:user-${i}-${'x'.repeat(60)}`);
    const card = approvalRequestCard({ ...request, approverUserIds: many }, { viewer: 'approver', approverUserIds: many, now });
    expect((card.refresh as { userIds: string[] }).userIds).toHaveLength(60);
    expect(cardProblems(card)).toEqual([]);
  });
});
