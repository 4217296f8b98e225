/**
 * Review of 40a612c (the approver's sign-in when the requester's cannot save): when the approver IS signed in but the
 * Data Integrator refuses his sign-in too (401: expired or revoked), the card and the requester are told that he "is
 * not signed in", which he knows to be untrue, so nobody acts and the approval ends six hours later unsaved. What
 * they are told must say that his sign-in was refused (he signs in again), not that he has none.
 */
import { DataIntegrationError, type DataIntegration } from '../../../src/integration/port';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';
import { ADA, approvalsInstance, BOB, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;
const refused = () => new DataIntegrationError('The access token is expired.', { service: 'integrator', code: 'unauthorized', status: 401, tokenOf: 'person' });

describe('the approver signed in, but his sign-in refused by the service (401)', () => {
  let stores: StateStores;
  let di: FakeIntegration;
  beforeEach(() => {
    stores = openSqliteStateStores(tempDataDir());
    di = new FakeIntegration().addProject('AccSync');
  });
  afterEach(() => stores.close());

  const refusedClient = (): DataIntegration => ({ ...di.client, getSchedule: async () => { throw refused(); }, setSchedule: async () => { throw refused(); } });

  test.each([
    ['her sign-in refused too', refusedClient],
    ['she not signed in', () => undefined],
  ])('%s: the card does not say that Bob is not signed in', async (_case, hers) => {
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
