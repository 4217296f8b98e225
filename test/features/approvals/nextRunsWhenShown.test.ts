import type { TurnContext } from 'botbuilder';
import { approvalActions } from '../../../src/features/approvals/approvalActions';
import { updateApprovalCards } from '../../../src/features/approvals/approvalOutcomes';
import { BackgroundWork } from '../../../src/features/backgroundWork';
import type { AdaptiveCardJson } from '../../../src/render/cardRenderer';
import { approvalRequestCard } from '../../../src/render/approvalCards';
import { approvalRequestSchema, type ApprovalRequest } from '../../../src/scheduleApprovals/approvalRequest';
import { ApprovalService } from '../../../src/scheduleApprovals/approvalService';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

/** The moments a card shows, but for `except` (its expiry). */
const moments = (card: AdaptiveCardJson, except: string) => [...JSON.stringify(card).matchAll(/\{\{DATE\(([^,]+), SHORT\)\}\}/g)]
  .map((m) => m[1]).filter((at) => at !== except.replace(/\.\d{3}Z$/, 'Z'));

describe('"Next runs if approved now" on an approval card', () => {
  let stores: StateStores;
  let clock: Date;
  let service: ApprovalService;
  const di = new FakeIntegration().addProject('AccSync');

  beforeEach(() => {
    stores = openSqliteStateStores(tempDataDir());
    clock = new Date('2025-03-01T09:00:00.000Z');
    service = new ApprovalService({ store: stores.approvals, ttlHours: 72, now: () => clock, policy: { approvers: [ADA.aadObjectId, BOB.aadObjectId], allowSelfApproval: false } });
  });
  afterEach(() => stores.close());

  const ask = async () => {
    const outcome = await service.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(`not requested: ${outcome.kind}`);
    return outcome.request;
  };

  test('an approver who opens the card two hours later sees the runs from then (Teams refreshes his view)', async () => {
    const request = await ask();
    clock = new Date('2025-03-01T11:00:00.000Z');
    const actions = approvalActions({
      approvals: service, background: new BackgroundWork(), integrationFor: async () => di.client,
      sender: { send: async () => ({ status: 'sent', activityId: 'x' }), update: async () => ({ status: 'sent', activityId: 'x' }) },
    });
    const turn = { activity: { from: { id: BOB.userId, name: BOB.name, aadObjectId: BOB.aadObjectId }, conversation: { id: '19:general' }, locale: 'en-GB' }, turnState: new Map() } as unknown as TurnContext;
    const view = await actions[VERBS.refreshApproval](turn, { requestId: request.id });
    expect(JSON.stringify(view.card)).toContain('Next runs if approved now');
    expect(moments(view.card!, request.expiresAt)).toEqual(['2025-03-01T11:05:00Z', '2025-03-01T11:10:00Z', '2025-03-01T11:15:00Z']);
  });

  test('a copy of the card updated later shows the runs from the update', async () => {
    const request = await ask();
    await service.recordCard(request.id, { conversationId: '29:bob-chat', activityId: 'bob-copy' });
    clock = new Date('2025-03-02T09:00:00.000Z');
    const updated: AdaptiveCardJson[] = [];
    await updateApprovalCards({
      approvals: service,
      sender: { send: async () => ({ status: 'sent', activityId: 'x' }), update: async (_c, id, a) => { updated.push((a as { attachments: Array<{ content: AdaptiveCardJson }> }).attachments[0].content); return { status: 'sent', activityId: id }; } },
    }, request);
    expect(updated.map((card) => moments(card, request.expiresAt))).toEqual([['2025-03-02T09:05:00Z', '2025-03-02T09:10:00Z', '2025-03-02T09:15:00Z']]);
  });

  test('a request stored with the next runs of an older version still reads, and its card counts them from now', async () => {
    const request = await ask();
    const old = { ...request, id: 'old-1', projectName: 'Older', nextRunTimes: ['2025-03-01T09:05:00.000Z'] };
    expect(approvalRequestSchema.parse(old)).toEqual({ ...request, id: 'old-1', projectName: 'Older' });
    await stores.approvals.createUnlessPending(old as ApprovalRequest, old.requestedAt); // written as an older version wrote it
    clock = new Date('2025-03-01T10:00:00.000Z');
    const read = await service.current('old-1');
    expect(read).not.toHaveProperty('nextRunTimes');
    const card = approvalRequestCard(read!, { viewer: 'everyone', now: service.now() });
    expect(moments(card, request.expiresAt)).toEqual(['2025-03-01T10:05:00Z', '2025-03-01T10:10:00Z', '2025-03-01T10:15:00Z']);
  });
});
