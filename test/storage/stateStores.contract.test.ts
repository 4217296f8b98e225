import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import { WatchStore } from '../../src/notifications/watchStore';
import type { StateStores } from '../../src/storage/stateStores';
import { azureBackend, botStateValue, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const request = (id: string, projectName = 'AccSync'): ApprovalRequest => ({
  id, projectName, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general;x',
  status: 'pending', requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
});
const NOW = '2025-03-01T09:00:00.000Z';
const record = (conversationId: string, teamId?: string) => ({
  conversationId, teamId, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', reference: { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: conversationId } },
});

describe.each([sqliteBackend(), azureBackend()])('state stores on $name', (backend: StateBackend) => {
  let stores: StateStores;
  let again: () => Promise<StateStores>;
  beforeEach(async () => ({ stores, again } = await backend.open()));
  afterEach(async () => { await stores.close(); });
  afterAll(() => backend.stop());

  test('20 decisions at once through two instances: one is taken, the trail has it once', async () => {
    await stores.approvals.createUnlessPending(request('r/1?#'), NOW);
    const other = await again();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? other : stores).approvals.decide('r/1?#', { status: i % 3 ? 'approved' : 'rejected', by: BOB, at: '2025-03-01T10:00:00.000Z' })));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const trail = await stores.approvals.history('accsync');
    expect(trail.map((e) => e.action).filter((a) => a !== 'requested')).toHaveLength(1);
    expect(trail.at(-1)?.action).toBe('requested');
    const claim = (s: StateStores) => s.approvals.claimScheduling('r/1?#', '2025-03-01T10:00:01.000Z', '2025-03-01T09:55:01.000Z');
    const claims = await Promise.all([claim(stores), claim(other)]);
    expect(claims.filter(Boolean).length).toBe((await stores.approvals.get('r/1?#'))?.status === 'approved' ? 1 : 0);
    await other.close();
  }, 60_000);

  test('the reminder of a request is taken once, across two instances, and not after a decision', async () => {
    await stores.approvals.createUnlessPending(request('rem'), NOW);
    const other = await again();
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : stores).approvals.claimReminder('rem', '2025-03-02T10:00:00.000Z')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await other.approvals.get('rem'))?.remindedAt).toBe('2025-03-02T10:00:00.000Z');
    await stores.approvals.createUnlessPending(request('decided', 'Other'), NOW);
    await stores.approvals.decide('decided', { status: 'approved', by: BOB, at: '2025-03-01T10:00:00.000Z' });
    expect(await stores.approvals.claimReminder('decided', '2025-03-02T10:00:00.000Z')).toBe(false);
    await other.close();
  }, 60_000);

  test('what the sweep finishes: an unsaved approval, a claim of an instance that stopped, an outcome told once', async () => {
    const other = await again();
    const ids = async (followUp: 'save' | 'announce') => (await other.approvals.dueForFollowUp(followUp)).map((r) => r.id).sort();
    for (const id of ['saved', 'stuck', 'no']) await stores.approvals.createUnlessPending(request(id, id), NOW);
    expect(await ids('save')).toEqual([]);
    for (const id of ['saved', 'stuck']) await stores.approvals.decide(id, { status: 'approved', by: BOB, at: '2025-03-01T10:00:00.000Z', in: '19:bob' });
    await stores.approvals.decide('no', { status: 'rejected', by: BOB, at: '2025-03-01T10:00:00.000Z' });
    expect(await ids('save')).toEqual(['saved', 'stuck']);
    expect(await ids('announce')).toEqual(['no']);
    expect((await other.approvals.get('saved'))?.decidedIn).toBe('19:bob');

    // Two instances claim each save at once: one wins. A claim still fresh is not taken over; a stale one is, once.
    const claim = (s: StateStores, id: string, at: string, staleBefore: string) => s.approvals.claimScheduling(id, at, staleBefore);
    const first = await Promise.all([stores, other].flatMap((s) => ['saved', 'stuck'].map((id) => claim(s, id, '2025-03-01T10:01:00.000Z', '2025-03-01T09:56:00.000Z'))));
    expect(first.filter(Boolean)).toHaveLength(2);
    expect(await claim(other, 'stuck', '2025-03-01T10:03:00.000Z', '2025-03-01T09:58:00.000Z')).toBe(false);
    const takeovers = await Promise.all([stores, other].map((s) => claim(s, 'stuck', '2025-03-01T10:07:00.000Z', '2025-03-01T10:02:00.000Z')));
    expect(takeovers.filter(Boolean)).toHaveLength(1);
    expect(await other.approvals.get('stuck')).toMatchObject({ scheduleState: 'applying', scheduleClaimedAt: '2025-03-01T10:07:00.000Z', scheduleAttempts: 2 });

    // The stopped instance's late answer changes nothing: only the claim that holds records what came of it.
    await stores.approvals.finishScheduling('stuck', { state: 'set' }, '2025-03-01T10:08:00.000Z', '2025-03-01T10:01:00.000Z');
    expect((await other.approvals.get('stuck'))?.scheduleState).toBe('applying');
    await other.approvals.finishScheduling('stuck', { state: 'retry', message: { id: 'approval.noReason' } }, '2025-03-01T10:08:00.000Z', '2025-03-01T10:07:00.000Z');
    expect(await stores.approvals.get('stuck')).toMatchObject({ scheduleMessage: { id: 'approval.noReason' } });
    expect((await stores.approvals.get('stuck'))?.scheduleState).toBeUndefined();
    await other.approvals.finishScheduling('saved', { state: 'set', nextRunAt: '2025-03-01T10:05:00.000Z' }, '2025-03-01T10:02:00.000Z', '2025-03-01T10:01:00.000Z');
    expect(await ids('save')).toEqual(['stuck']);
    expect(await ids('announce')).toEqual(['no', 'saved']);

    // The telling: claimed by one of four at once; a claim still fresh is not taken over; the stuck one has nothing to tell.
    const tell = (s: StateStores, at: string, staleBefore: string) => s.approvals.claimAnnouncement('saved', at, staleBefore);
    const told = await Promise.all(Array.from({ length: 4 }, (_, i) => tell(i % 2 ? other : stores, '2025-03-01T10:03:00.000Z', '2025-03-01T09:58:00.000Z')));
    expect(told.filter(Boolean)).toHaveLength(1);
    expect(await tell(other, '2025-03-01T10:04:00.000Z', '2025-03-01T09:59:00.000Z')).toBe(false);
    expect(await stores.approvals.claimAnnouncement('stuck', '2025-03-01T10:03:00.000Z', '2025-03-01T09:58:00.000Z')).toBe(false);
    // Its instance stopped before telling it: it is still due, and taken over once its claim is stale, by one of two.
    expect(await ids('announce')).toEqual(['no', 'saved']);
    const resumed = await Promise.all([stores, other].map((s) => tell(s, '2025-03-01T10:09:00.000Z', '2025-03-01T10:04:00.000Z')));
    expect(resumed.filter(Boolean)).toHaveLength(1);
    expect(await other.approvals.get('saved')).toMatchObject({ toAnnounce: true, announceClaimedAt: '2025-03-01T10:09:00.000Z', announceAttempts: 2 });
    // The stopped instance's late end changes nothing; the requester told with a card left keeps it due; told ends it.
    await stores.approvals.finishAnnouncement('saved', 'told', '2025-03-01T10:09:30.000Z', '2025-03-01T10:03:00.000Z');
    expect(await ids('announce')).toEqual(['no', 'saved']);
    await other.approvals.finishAnnouncement('saved', 'requesterTold', '2025-03-01T10:09:30.000Z', '2025-03-01T10:09:00.000Z');
    expect(await stores.approvals.get('saved')).toMatchObject({ toAnnounce: true, requesterToldAt: '2025-03-01T10:09:30.000Z' });
    expect(await tell(stores, '2025-03-01T10:15:00.000Z', '2025-03-01T10:10:00.000Z')).toBe(true);
    await stores.approvals.finishAnnouncement('saved', 'told', '2025-03-01T10:15:01.000Z', '2025-03-01T10:15:00.000Z');
    expect(await ids('announce')).toEqual(['no']);
    expect(await other.approvals.get('saved')).toMatchObject({ announcedAt: '2025-03-01T10:09:30.000Z', announceAttempts: 3 });
    expect((await other.approvals.get('saved'))?.toAnnounce).toBeUndefined();
    // A telling that cannot be done (the conversation is gone) ends untold.
    expect(await tell(other, '2025-03-01T10:20:00.000Z', '2025-03-01T10:15:00.000Z')).toBe(false);
    expect(await other.approvals.claimAnnouncement('no', '2025-03-01T10:20:00.000Z', '2025-03-01T10:15:00.000Z')).toBe(true);
    await other.approvals.finishAnnouncement('no', 'notTold', '2025-03-01T10:20:01.000Z', '2025-03-01T10:20:00.000Z');
    expect(await ids('announce')).toEqual([]);
    expect((await stores.approvals.get('no'))?.announcedAt).toBeUndefined();
    await other.close();
  }, 60_000);

  test('a telling renews its claim only while it holds it: renewed, it is not taken over; taken over or finished, it is not renewed', async () => {
    await stores.approvals.createUnlessPending(request('slow'), NOW);
    await stores.approvals.decide('slow', { status: 'rejected', by: BOB, at: '2025-03-01T10:00:00.000Z' });
    const other = await again();
    expect(await stores.approvals.claimAnnouncement('slow', '2025-03-01T10:00:00.000Z', '2025-03-01T09:55:00.000Z')).toBe(true);
    expect(await stores.approvals.renewAnnouncement('slow', '2025-03-01T10:00:00.000Z', '2025-03-01T10:04:00.000Z')).toBe(true);
    expect(await other.approvals.get('slow')).toMatchObject({ toAnnounce: true, announceClaimedAt: '2025-03-01T10:04:00.000Z', announceAttempts: 1 });
    // Stale as first claimed, fresh as renewed: not taken over.
    expect(await other.approvals.claimAnnouncement('slow', '2025-03-01T10:06:00.000Z', '2025-03-01T10:01:00.000Z')).toBe(false);
    // Stale as renewed: taken over; the slow instance's renewal then fails, and so does the new holder's once it finished.
    expect(await other.approvals.claimAnnouncement('slow', '2025-03-01T10:10:00.000Z', '2025-03-01T10:05:00.000Z')).toBe(true);
    expect(await stores.approvals.renewAnnouncement('slow', '2025-03-01T10:04:00.000Z', '2025-03-01T10:11:00.000Z')).toBe(false);
    expect(await stores.approvals.get('slow')).toMatchObject({ announceClaimedAt: '2025-03-01T10:10:00.000Z', announceAttempts: 2 });
    await other.approvals.finishAnnouncement('slow', 'told', '2025-03-01T10:10:30.000Z', '2025-03-01T10:10:00.000Z');
    expect(await other.approvals.renewAnnouncement('slow', '2025-03-01T10:10:00.000Z', '2025-03-01T10:11:00.000Z')).toBe(false);
    expect(await stores.approvals.get('slow')).toMatchObject({ announcedAt: '2025-03-01T10:10:30.000Z' });
    await other.close();
  }, 60_000);

  test('a request as the previous version wrote it: one it claimed to tell is taken as told, one it left untold is told', async () => {
    // That version cleared `toAnnounce` when it claimed the telling (and had no claim time): it was told then, but for a crash.
    const rejected = { ...request('old-told'), status: 'rejected' as const, decidedBy: BOB, decidedAt: '2025-03-01T10:00:00.000Z', announcedAt: '2025-03-01T10:00:01.000Z' };
    const untold = { ...request('old-untold', 'Other'), status: 'expired' as const, decidedAt: '2025-03-04T09:00:00.000Z', toAnnounce: true };
    for (const r of [rejected, untold]) await stores.approvals.createUnlessPending(r, NOW);
    const other = await again();
    expect((await other.approvals.dueForFollowUp('announce')).map((r) => r.id)).toEqual(['old-untold']);
    expect(await other.approvals.claimAnnouncement('old-told', '2025-03-05T00:00:00.000Z', '2025-03-04T23:55:00.000Z')).toBe(false);
    expect(await other.approvals.claimAnnouncement('old-untold', '2025-03-05T00:00:00.000Z', '2025-03-04T23:55:00.000Z')).toBe(true);
    expect(await stores.approvals.get('old-untold')).toMatchObject({ announceClaimedAt: '2025-03-05T00:00:00.000Z', announceAttempts: 1 });
    await other.close();
  }, 60_000);

  test('one open request per project: of 10 asked at once through two instances one is created, the others get it; one past its expiry or decided blocks nobody', async () => {
    const other = await again();
    const asked = Array.from({ length: 10 }, (_, i) => request(`ask/${i}`, i % 2 ? 'Acc/Sync #1' : 'acc/sync #1'));
    const answers = await Promise.all(asked.map((r, i) => (i % 2 ? other : stores).approvals.createUnlessPending(r, NOW)));
    const created = asked.filter((_, i) => answers[i] === undefined);
    expect(created).toHaveLength(1);
    expect(answers.filter(Boolean).map((r) => r!.id)).toEqual(Array(9).fill(created[0].id));
    expect((await other.approvals.pendingFor('acc/sync #1'))?.id).toBe(created[0].id);
    expect((await stores.approvals.history('Acc/Sync #1')).map((e) => e.action)).toEqual(['requested']);

    // Past its expiry (not yet marked expired by the sweep), it gives way; the newer one is the pending one.
    const later = { ...request('later', 'Acc/Sync #1'), requestedAt: '2025-03-04T09:00:00.000Z', expiresAt: '2025-03-07T09:00:00.000Z' };
    expect((await other.approvals.createUnlessPending(later, '2025-03-04T08:59:59.999Z'))?.id).toBe(created[0].id);
    expect(await other.approvals.createUnlessPending(later, '2025-03-04T09:00:00.000Z')).toBeUndefined();
    expect((await stores.approvals.pendingFor('Acc/Sync #1'))?.id).toBe('later');
    await stores.approvals.decide('later', { status: 'rejected', by: BOB, at: '2025-03-04T10:00:00.000Z' });
    const third = { ...later, id: 'third' };
    expect(await stores.approvals.createUnlessPending(third, '2025-03-04T10:00:00.000Z')).toBeUndefined();
    expect((await other.approvals.createUnlessPending({ ...later, id: 'fourth' }, '2025-03-04T10:00:00.000Z'))?.id).toBe('third');
    await other.close();
  }, 60_000);

  test('expiry, pending lookups, cards and the trail order', async () => {
    expect(await stores.approvals.createUnlessPending(request('a'), NOW)).toBeUndefined();
    expect((await stores.approvals.pendingFor('AccSync'))?.id).toBe('a');
    expect(await stores.approvals.dueForExpiry('2025-03-03T00:00:00.000Z')).toEqual([]);
    expect((await stores.approvals.dueForExpiry('2025-03-05T00:00:00.000Z')).map((r) => r.id)).toEqual(['a']);
    expect(await stores.approvals.decide('a', { status: 'approved', by: BOB, at: '2025-03-05T00:00:00.000Z' })).toBe(false);
    expect(await stores.approvals.expire('a', '2025-03-05T00:00:00.000Z')).toBe(true);
    expect(await stores.approvals.expire('a', '2025-03-05T00:00:00.000Z')).toBe(false);
    expect(await stores.approvals.pendingFor('AccSync')).toBeUndefined();
    await stores.approvals.addCard('a', { conversationId: '19:general;messageid=1', activityId: 'm/1' });
    await stores.approvals.addCard('a', { conversationId: '19:general;messageid=1', activityId: 'm/1' });
    expect(await stores.approvals.cards('a')).toEqual([{ conversationId: '19:general;messageid=1', activityId: 'm/1' }]);
    expect((await stores.approvals.history('ACCSYNC')).map((e) => e.action)).toEqual(['expired', 'requested']);
    expect(await stores.approvals.get('nope')).toBeUndefined();
  }, 30_000);

  test('watches and reported executions, seen by another instance', async () => {
    const watches = new WatchStore(stores.watches, () => new Date('2025-03-01T09:00:00.000Z'));
    await watches.watch({ projectName: 'Acc/Sync', conversationId: '19:b;x', owner: ADA });
    await watches.watch({ projectName: 'Other', conversationId: '19:a', owner: ADA });
    await watches.markReported({ projectName: 'Acc/Sync', conversationId: '19:b;x' }, Array.from({ length: 150 }, (_, i) => `e${i}`));
    const theirs = new WatchStore((await again()).watches);
    expect((await theirs.reported({ projectName: 'Acc/Sync', conversationId: '19:b;x' }, ['e1', 'e149', 'e150'])).size).toBe(2);
    expect((await theirs.reported({ projectName: 'Other', conversationId: '19:a' }, ['e1'])).size).toBe(0);
    expect((await theirs.active()).map((w) => w.conversationId)).toEqual(['19:a', '19:b;x']);
    expect(await theirs.markConversationGone('19:a')).toBe(1);
    expect((await watches.active()).map((w) => w.projectName)).toEqual(['Acc/Sync']);
    expect((await watches.setNotifyLevel({ projectName: 'Acc/Sync', conversationId: '19:b;x' }, 'mute'))?.notifyLevel).toBe('mute');
    expect(await watches.pruneReports(new Date('2025-03-02T00:00:00.000Z'))).toBe(150);
  }, 30_000);

  test('conversation references: saved, listed, welcomed once across instances, removed by team', async () => {
    await stores.refs.save(record('19:general@thread.tacv2', 'team-1'));
    await stores.refs.save(record('a:personal/chat', undefined));
    const other = await again();
    expect((await other.refs.get('19:general@thread.tacv2'))?.teamId).toBe('team-1');
    const welcomes = await Promise.all([stores.refs.markWelcomed('19:general@thread.tacv2'), other.refs.markWelcomed('19:general@thread.tacv2')]);
    expect(welcomes.filter(Boolean)).toHaveLength(1);
    await stores.refs.save(record('19:general@thread.tacv2', 'team-1'));
    expect(await other.refs.markWelcomed('19:general@thread.tacv2')).toBe(false);
    expect((await other.refs.list()).map((r) => r.conversationId).sort()).toEqual(['19:general@thread.tacv2', 'a:personal/chat']);
    expect(await other.refs.removeTeam('team-1')).toBe(1);
    await other.refs.remove('a:personal/chat');
    expect(await stores.refs.list()).toEqual([]);
    await other.close();
  }, 30_000);

  test('a flow lock is held by one owner at a time across instances, and runs out', async () => {
    const other = await again();
    const key = 'msteams/conversations/19:general;messageid=1/users/29:ada';
    const takes = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : stores).flowLocks.tryAcquire(key, `o${i}`, 60_000)));
    expect(takes.filter(Boolean)).toHaveLength(1);
    const holder = `o${takes.indexOf(true)}`;
    await stores.flowLocks.release(key, 'someone else');
    expect(await other.flowLocks.tryAcquire(key, 'late', 60_000)).toBe(false);
    await other.flowLocks.release(key, holder);
    expect(await stores.flowLocks.tryAcquire(key, 'next', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await other.flowLocks.tryAcquire(key, 'after expiry', 60_000)).toBe(true);
    await other.close();
  }, 30_000);

  test('bot state keeps its eTag check for writes that carry one', async () => {
    await stores.storage.write({ 'conv/flow': { step: 1 } });
    const { eTag } = (await botStateValue(stores.storage, 'conv/flow'))!;
    await stores.storage.write({ 'conv/flow': { step: 2, eTag } });
    await expect(stores.storage.write({ 'conv/flow': { step: 3, eTag } })).rejects.toThrow();
    expect(await botStateValue((await again()).storage, 'conv/flow')).toMatchObject({ step: 2 });
  }, 30_000);
});
