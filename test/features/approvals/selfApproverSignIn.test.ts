/**
 * ALLOW_SELF_APPROVAL: Ada approves her own request, and her sign-in cannot save the schedule (the service refuses it,
 * 401, or she is not signed in). There is no other sign-in to try: the card and what she is told said "neither Ada
 * Admin (who asked) nor Ada Admin (who approved) is signed in", naming her twice, and "not signed in" even when her
 * sign-in was refused. They must name her once, as the one who asked and approved, and say what is wrong with her sign-in.
 * Driven at the card-action level on SQLite, as approvalsAreSavedAndTold.test.ts is.
 */
import type { DataIntegration } from '../../../src/integration/port';
import { VERBS } from '../../../src/verbs';
import { ADA, approvalsInstance, refusedSignIn, stateForEachTest, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

describe('a self-approver whose own sign-in cannot save the schedule', () => {
  const state = stateForEachTest();

  /** Ada asks (in `locale`) and approves herself; the channel's card and what she was told. */
  const selfApproved = async (hers: () => DataIntegration | undefined, locale: string) => {
    const bot = approvalsInstance(state.stores, () => new Date('2025-03-01T09:00:00.000Z'), async () => hers(), { allowSelfApproval: true });
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general', requestedIn: { locale } }, state.di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await bot.actions[VERBS.approveSchedule](turn(ADA, '29:ada-chat'), { requestId: outcome.request.id });
    await bot.background.idle();
    expect((await bot.approvals.current(outcome.request.id))?.scheduleState).toBeUndefined(); // it waits for her sign-in
    return [bot.card('channel-card'), bot.told.join('\n')];
  };
  /** The reason in "Not saved yet: <reason>. I try again …" (or its German). */
  const reasonIn = (text: string) => text.match(/(?:Not saved yet|Noch nicht gespeichert): (.*?)\. (?:I try again|Ich versuche)/)?.[1] ?? `no reason in: ${text}`;

  test.each([
    ['her sign-in refused (401)', 'en-GB', true, 'Data Integration refused the sign-in of Ada Admin (who asked and approved), and I save it with their sign-in: they can sign in again by typing "sign in" to me'],
    ['she is not signed in', 'en-GB', false, 'Ada Admin (who asked and approved) is not signed in to Data Integration, and I save it with their sign-in: they can sign in by typing "sign in" to me'],
    ['her sign-in refused (401)', 'de-DE', true, 'Data Integration hat die Anmeldung von Ada Admin (beantragt und genehmigt) abgelehnt, und ich speichere ihn mit ihrer Anmeldung: diese Person kann sich neu anmelden, mit der Nachricht "sign in" an mich'],
    ['she is not signed in', 'de-DE', false, 'Ada Admin (beantragt und genehmigt) ist bei Data Integration nicht angemeldet, und ich speichere ihn mit ihrer Anmeldung: diese Person kann sich anmelden, mit der Nachricht "sign in" an mich'],
  ])('%s (%s): the card and she are told once who she is and what her sign-in lacks', async (_case, locale, signedIn, expected) => {
    for (const text of await selfApproved(() => (signedIn ? refusedSignIn(state.di) : undefined), locale)) {
      expect(reasonIn(text)).toBe(expected);
      expect(reasonIn(text).split('Ada Admin')).toHaveLength(2); // named once
      expect(text).not.toMatch(/neither|weder/i);
    }
  });
});
