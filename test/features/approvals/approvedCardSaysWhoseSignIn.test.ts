/**
 * The approver's sign-in saved the schedule because the requester's could not (she was not signed in, or the service
 * refused hers): she was told so, and "history" says it, but the approved card that the approver and the channel see
 * said nothing of it, so they could not tell whose sign-in the schedule (and its run watch) now depends on. The card
 * says it now, in the requester's language; when her own sign-in saved it, the card is as before.
 * Driven at the card-action level on SQLite, as approvalsAreSavedAndTold.test.ts is.
 */
import type { DataIntegration } from '../../../src/integration/port';
import { VERBS } from '../../../src/verbs';
import { ADA, approvalsInstance, BOB, refusedSignIn, stateForEachTest, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

describe('the approved card says whose sign-in saved the schedule', () => {
  const state = stateForEachTest();

  /** Ada asks (in `locale`), Bob approves; the channel's card once the schedule is saved. */
  const approvedCard = async (hers: DataIntegration | undefined, locale = 'en-GB') => {
    const { stores, di } = state;
    const bot = approvalsInstance(stores, () => new Date('2025-03-01T09:00:00.000Z'), async ({ owner }) => (owner.aadObjectId === ADA.aadObjectId ? hers : di.client));
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general', requestedIn: { locale } }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await bot.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: outcome.request.id });
    await bot.background.idle();
    expect(di.schedules.get('AccSync')?.recurrence).toEqual(EVERY_5);
    return bot.card('channel-card');
  };

  test('she was not signed in: Bob\'s sign-in saved it, and the card says so and why', async () => {
    expect(await approvedCard(undefined)).toMatch(/Approved by \| Bob Approver \| Saved with \| the sign-in of Bob Approver, as the requester was not signed in \| .*Scheduled\./);
  });

  test('the service refused her sign-in: the card says that it was refused', async () => {
    expect(await approvedCard(refusedSignIn(state.di))).toMatch(/Saved with \| the sign-in of Bob Approver, as the requester’s was refused \| .*Scheduled\./);
  });

  test('in German, to a German requester', async () => {
    expect(await approvedCard(undefined, 'de-DE')).toMatch(/Gespeichert mit \| der Anmeldung von Bob Approver, da die beantragende Person nicht angemeldet war/);
  });

  test('her own sign-in saved it: the card says nothing of sign-ins', async () => {
    const card = await approvedCard(state.di.client);
    expect(card).toMatch(/Approved by \| Bob Approver \| .*Scheduled\./);
    expect(card).not.toMatch(/Saved with|sign-in/);
  });
});
