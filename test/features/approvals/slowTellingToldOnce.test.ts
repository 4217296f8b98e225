/**
 * Review of 40a612c (the telling of an outcome resumed by the sweep): a telling whose claim is older than 5 minutes is
 * taken over, but nothing stops the instance that still holds it. A Bot Connector that throttles (the sender waits
 * Retry-After up to 60 s, three times, per message: about 3.5 minutes for each copy of the card) makes an ordinary
 * telling last longer than that, and then both instances @mention the requester with the same outcome.
 * Driven at the card-action level on SQLite, as approvalsAreSavedAndTold.test.ts is.
 */
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import type { DeliveryResult } from '../../../src/notifications/proactiveSender';
import { VERBS } from '../../../src/verbs';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';
import { ADA, approvalsInstance, BOB, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

describe('a telling slowed by a throttling Bot Connector', () => {
  const dir = tempDataDir();
  const di = new FakeIntegration().addProject('AccSync');
  let stores: StateStores;
  let now = new Date('2025-03-01T09:00:00.000Z');
  const later = (minutes: number) => { now = new Date(now.getTime() + minutes * 60_000); };
  beforeAll(() => { stores = openSqliteStateStores(dir); });
  afterAll(() => stores.close());

  test('the rejection is told to the requester once, not also by the sweep that took over its claim while it was still being told', async () => {
    // Each card update is answered 429 with Retry-After 60 s until the sender's retries end: it takes 3.5 minutes, then goes through.
    let bobsCopyHeld!: () => void;
    let atBobsCopy!: () => void;
    const reachedBobsCopy = new Promise<void>((resolve) => { atBobsCopy = resolve; });
    const throttled = approvalsInstance(stores, () => now, async () => di.client, {
      connector: {
        update: async (id): Promise<DeliveryResult> => {
          later(3.5);
          if (id === 'bob-copy') {
            atBobsCopy();
            await new Promise<void>((resolve) => { bobsCopyHeld = resolve; });
          }
          return { status: 'sent', activityId: id };
        },
      },
    });
    const outcome = await throttled.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    const id = outcome.request.id;
    await throttled.approvals.recordCard(id, { conversationId: '19:general', activityId: 'channel-card' });
    await throttled.approvals.recordCard(id, { conversationId: '29:bob-chat', activityId: 'bob-copy' });

    await throttled.actions[VERBS.rejectSchedule](turn(BOB, '29:bob-chat'), { requestId: id });
    await reachedBobsCopy; // 7 minutes into the telling: the channel's card done, Bob's copy going through

    // Meanwhile the approvals' sweep of another instance (every instance sweeps every minute) finds the claim 7 minutes old.
    const otherStores = openSqliteStateStores(dir);
    const other = approvalsInstance(otherStores, () => now, async () => di.client);
    await other.sweep();

    bobsCopyHeld(); // the connector takes Bob's copy; the first instance goes on to tell the requester
    await throttled.background.idle();
    otherStores.close();

    const told = [...throttled.told, ...other.told].filter((t) => /Bob Approver rejected the schedule of "AccSync"/.test(t));
    expect(told).toHaveLength(1);
  });
});
