/**
 * Review of 40a612c (the approver's sign-in when the requester's cannot save): the requester, whose own project it is,
 * is merely not signed in when the approval lands, and the approver's sign-in is not allowed to save it (403: he has
 * no rights on her project). Nobody's sign-in was refused for good yet: she only has to sign in, as the card says in
 * the mirror case (her sign-in not allowed, his missing). The approval must wait for her, not end as "refused".
 * Driven at the card-action level on SQLite, as approvalsAreSavedAndTold.test.ts is.
 */
import { DataIntegrationError, type DataIntegration } from '../../../src/integration/port';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';
import { ADA, approvalsInstance, BOB, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

/** The Data Integrator answering a sign-in that may not touch the project (a person's token, not the bot's). */
const forbidden = () => new DataIntegrationError('The user does not have permission to change the schedule of this project.', {
  service: 'integrator', code: 'forbidden', status: 403, tokenOf: 'person',
});

describe('the requester not signed in, the approver\'s sign-in not allowed (403)', () => {
  const di = new FakeIntegration().addProject('AccSync');
  let stores: StateStores;
  let now = new Date('2025-03-01T09:00:00.000Z');
  let adaSignedIn = false;
  beforeAll(() => { stores = openSqliteStateStores(tempDataDir()); });
  afterAll(() => stores.close());

  /** Ada's client (her project: her sign-in may save it) once she signed in; Bob's, signed in, is refused by the service. */
  const bobsClient = (): DataIntegration => ({ ...di.client, getSchedule: async () => { throw forbidden(); }, setSchedule: async () => { throw forbidden(); } });
  const integrationFor = async ({ owner }: { owner: { aadObjectId: string } }) => (owner.aadObjectId === ADA.aadObjectId ? (adaSignedIn ? di.client : undefined) : bobsClient());

  test('the approval waits for her to sign in, saying so, and is saved once she has: it is not ended as "the service refused it"', async () => {
    const bot = approvalsInstance(stores, () => now, integrationFor);
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    const id = outcome.request.id;
    await bot.approvals.recordCard(id, { conversationId: '19:general', activityId: 'channel-card' });
    await bot.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: id });
    await bot.background.idle();

    // Not refused for good: the request waits, and what Ada hears tells her to sign in rather than that it is over.
    expect((await bot.approvals.current(id))?.scheduleState).toBeUndefined();
    expect(bot.card('channel-card')).not.toMatch(/refused/);
    expect(bot.card('channel-card')).toMatch(/Not saved yet: .*Ada Admin/);
    expect(bot.told.join('\n')).not.toMatch(/the service refused it/);

    // Ada signs in; the sweep saves it with her sign-in.
    adaSignedIn = true;
    now = new Date(now.getTime() + 2 * 60_000);
    await bot.sweep();
    expect(await bot.approvals.current(id)).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: ADA } });
    expect(di.schedules.get('AccSync')?.recurrence).toEqual(EVERY_5);
  });
});
