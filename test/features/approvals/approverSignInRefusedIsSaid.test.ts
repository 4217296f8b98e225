/**
 * Review of 40a612c (the approver's sign-in when the requester's cannot save): when the approver IS signed in but the
 * Data Integrator refuses his sign-in too (401: expired or revoked), the card and the requester are told that he "is
 * not signed in", which he knows to be untrue, so nobody acts and the approval ends six hours later unsaved. What
 * they are told must say that his sign-in was refused (he signs in again), not that he has none.
 */
import { VERBS } from '../../../src/verbs';
import { ADA, approvalsInstance, BOB, refusedSignIn, stateForEachTest, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

describe('the approver signed in, but his sign-in refused by the service (401)', () => {
  const state = stateForEachTest();
  const refusedClient = () => refusedSignIn(state.di);

  test.each([
    ['her sign-in refused too', refusedClient],
    ['she not signed in', () => undefined],
  ])('%s: the card does not say that Bob is not signed in', async (_case, hers) => {
    const { stores, di } = state;
    const now = new Date('2025-03-01T09:00:00.000Z');
    const bot = approvalsInstance(stores, () => now, async ({ owner }) => (owner.aadObjectId === ADA.aadObjectId ? hers() : refusedClient()));
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await bot.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: outcome.request.id });
    await bot.background.idle();

    const card = bot.card('channel-card');
    expect(card).toMatch(/Not saved yet/);
    // Bob is signed in; it is his sign-in that the service refused.
    expect(card).not.toMatch(/Bob Approver \(who approved\) is not signed in/);
    expect(card).not.toMatch(/neither Ada Admin \(who asked\) nor Bob Approver \(who approved\) is signed in/);
  });
});
