/**
 * A requester whose sign-in the Data Integrator refuses (401: expired or revoked) or does not allow to save a schedule
 * (403: she lost the permission): the approver, who consented to this very schedule, has his sign-in used instead, as
 * when she has none. The requester is told, in her language, whose sign-in it was and why, and "history" says it too.
 * Real HTTP clients with a sign-in each, against the sandbox, which refuses the requester's token on cue.
 */
import type { DataIntegration } from '../../../src/integration';
import { approvalHistoryCard } from '../../../src/render/approvalCards';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { Words } from '../../../src/words/words';
import { type Sandbox, startSandbox } from '../../../dev/sandbox';
import { cardReading } from '../../helpers/cardWalk';
import { tempDataDir } from '../../helpers/harness';
import { createSandboxProject, signedInTo } from '../../helpers/sandboxProject';
import { ADA, approvalsInstance, type ApprovalsInstance, BOB, turn } from '../../helpers/approvalsInstance';

describe('a requester whose sign-in is refused: the approver\'s sign-in saves the schedule, and everyone is told whose', () => {
  let sandbox: Sandbox;
  let stores: StateStores;
  let now: Date;
  /** A person's own client, with a sign-in (token) nobody else has. */
  const signedIn = signedInTo(() => sandbox);
  let ada: DataIntegration;
  let bob: DataIntegration | undefined;
  const bot = () => approvalsInstance(stores, () => now, async ({ owner }) => (owner.aadObjectId === ADA.aadObjectId ? ada : bob));
  const approved = async (instance: ApprovalsInstance, every: number, locale = 'en-GB') => {
    const outcome = await instance.approvals.request({ projectName: 'AccSync', recurrence: { kind: 'recurring', every, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general', requestedIn: { locale } }, signedIn('lister'));
    if (outcome.kind !== 'requested') throw new Error(`not requested: ${outcome.kind}`);
    await instance.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await instance.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: outcome.request.id });
    await instance.background.idle();
    return outcome.request.id;
  };
  const history = async (instance: ApprovalsInstance, lang: 'en' | 'de' = 'en') => cardReading(approvalHistoryCard('AccSync', await instance.approvals.history('AccSync'), new Words(lang)));
  const savedEvery = async () => (await signedIn('reader').getSchedule('AccSync')).recurrence;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir(), seed: { accounts: 50 } });
    await createSandboxProject(signedIn('admin'), 'AccSync');
  }, 60_000);
  afterAll(() => sandbox.close());
  beforeEach(() => {
    stores = openSqliteStateStores(tempDataDir());
    now = new Date();
    ada = signedIn('ada');
    bob = signedIn('bob');
  });
  afterEach(() => {
    sandbox.faults.clear();
    stores.close();
  });

  test('her sign-in refused (401): saved with Bob\'s at once, and she is told so, and how to sign in again', async () => {
    const refusal = sandbox.faults.inject({ route: 'getSchedule', expiredToken: true, times: 1 });
    const instance = bot();
    const id = await approved(instance, 10);
    expect(refusal.hits).toBe(1);
    expect(await instance.approvals.current(id)).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: BOB, insteadOfRequester: 'refused' } });
    expect(await savedEvery()).toMatchObject({ every: 10, unit: 'minutes' });
    expect(instance.told).toEqual([expect.stringMatching(/Bob Approver approved the schedule of "AccSync" \(every 10 minutes\)\. It is scheduled\. .*I asked the service with the sign-in of Bob Approver, as Data Integration refused yours: type "sign in" to sign in again\./)]);
    expect(instance.card('channel-card')).toMatch(/Scheduled\./);
    expect(await history(instance)).toMatch(/The service saved the schedule \(sign-in of \*\*Bob Approver\*\*, as the requester’s was refused\): next run/);
  });

  test('her sign-in not allowed to (403), told in German: saved with Bob\'s, and the German history says whose sign-in', async () => {
    sandbox.faults.inject({ route: 'getSchedule', status: 403, times: 1 });
    const instance = bot();
    const id = await approved(instance, 15, 'de-DE');
    expect(await instance.approvals.current(id)).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: BOB, insteadOfRequester: 'forbidden' } });
    expect(await savedEvery()).toMatchObject({ every: 15, unit: 'minutes' });
    expect(instance.told).toEqual([expect.stringMatching(/Bob Approver hat den Zeitplan von "AccSync" genehmigt .*Ich habe den Dienst mit der Anmeldung von Bob Approver gefragt, da Data Integration es mit deiner nicht zugelassen hat\./)]);
    expect(await history(instance, 'de')).toMatch(/Der Dienst hat den Zeitplan gespeichert \(Anmeldung von \*\*Bob Approver\*\*, da die Anmeldung der beantragenden Person es nicht durfte\)/);
  });

  test('her sign-in works: saved with hers, the message says nothing of sign-ins, the history says hers', async () => {
    const instance = bot();
    const id = await approved(instance, 20);
    expect(await instance.approvals.current(id)).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: ADA } });
    expect(instance.told).toEqual([expect.not.stringMatching(/sign-in/)]);
    expect(await history(instance)).toMatch(/The service saved the schedule \(sign-in of \*\*Ada Admin\*\*\): next run/);
  });

  test('her sign-in refused and Bob not signed in: it waits, saying so, and is saved with Bob\'s once he signs in', async () => {
    sandbox.faults.inject({ route: 'getSchedule', expiredToken: true, times: 1 });
    bob = undefined;
    const instance = bot();
    const id = await approved(instance, 25);
    expect((await instance.approvals.current(id))?.scheduleState).toBeUndefined();
    expect(instance.card('channel-card')).toMatch(/Not saved yet: Data Integration refused the sign-in of Ada Admin \(who asked\), and Bob Approver \(who approved\) is not signed in: either of them can sign in \(again\) by typing "sign in" to me\./);
    bob = signedIn('bob'); // Bob signs in; her token stays refused
    now = new Date(now.getTime() + 2 * 60_000);
    await instance.sweep();
    expect(await instance.approvals.current(id)).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: BOB, insteadOfRequester: 'refused' } });
    expect(await savedEvery()).toMatchObject({ every: 25, unit: 'minutes' });
    expect(instance.told.at(-1)).toMatch(/It is scheduled\. .*I asked the service with the sign-in of Bob Approver, as Data Integration refused yours/);
  });
});
