import { ApprovalService } from '../../src/scheduleApprovals/approvalService';
import type { ApprovalStore } from '../../src/scheduleApprovals/approvalStore';
import type { AuditEntry } from '../../src/scheduleApprovals/approvalRequest';
import { REFUSALS } from '../../src/scheduleApprovals/approvalPolicy';
import { DataIntegrationError, type DataIntegration } from '../../src/integration/port';
import type { StateStores } from '../../src/storage/stateStores';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';
import { ENGLISH } from '../../src/words/words';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const CAROL = { aadObjectId: 'carol-aad', name: 'Carol Approver', userId: '29:carol' };
const EVE = { aadObjectId: 'eve-aad', name: 'Eve Elsewhere', userId: '29:eve' };
const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;
/** The requester's sign-in (none: undefined), and no approver's. */
const hers = (client: DataIntegration | undefined) => ({ requester: client, approver: async () => undefined });

describe.each([sqliteBackend(), azureBackend()])('schedule approvals on $name', (backend: StateBackend) => {
  let stores: StateStores;
  let again: () => Promise<StateStores>;
  let clock: Date;
  let di: FakeIntegration;
  const service = (store: ApprovalStore = stores.approvals) => new ApprovalService({
    store, ttlHours: 72, now: () => clock,
    policy: { approvers: [ADA.aadObjectId, BOB.aadObjectId, CAROL.aadObjectId], allowSelfApproval: false },
  });
  const ask = async (s = service()) => {
    const outcome = await s.request({ projectName: 'accsync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(`not requested: ${outcome.kind}`);
    return outcome.request;
  };

  beforeEach(async () => {
    ({ stores, again } = await backend.open());
    clock = new Date('2025-03-01T09:00:00.000Z');
    di = new FakeIntegration().addProject('AccSync');
  });
  afterEach(() => stores.close());
  afterAll(() => backend.stop());
  /** Takes a request out of the way, as if it had never been asked (the tests below ask again). */
  const forget = async (id: string) => { await stores.approvals.expire(id, '9999-12-31T00:00:00.000Z'); };

  test('a request names the project as the service spells it', async () => {
    const request = await ask();
    expect(request).toMatchObject({ projectName: 'AccSync', status: 'pending', requestedBy: ADA, expiresAt: '2025-03-04T09:00:00.000Z' });
    expect(request.limitWarning).toBeUndefined();
  });

  test('a request warns when the tenant nears its 50 scheduled projects, and says when it is at the limit', async () => {
    for (let i = 0; i < 44; i++) di.addProject(`p${i}`, EVERY_5);
    expect(ENGLISH.reply((await ask()).limitWarning!)).toBe('This will be scheduled project 45 of the 50 a tenant may have.');
    const full = new FakeIntegration().addProject('AccSync');
    for (let i = 0; i < 50; i++) full.addProject(`p${i}`, EVERY_5);
    const outcome = await service().request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: BOB, conversationId: 'c' }, full.client);
    expect(outcome.kind).toBe('alreadyPending');
    if (outcome.kind === 'alreadyPending') await forget(outcome.request.id);
    const again = await service().request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: BOB, conversationId: 'c' }, full.client);
    expect(again.kind === 'requested' && ENGLISH.reply(again.request.limitWarning!)).toMatch(/already has 50 scheduled projects.*refuse/);
  });

  test('two people asking for the same project at the same moment, on two instances: one request, the other is told it is pending, and the schedule saved is the one its card shows', async () => {
    const other = await again();
    const [first, second] = await Promise.all([
      service().request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client),
      service(other.approvals).request({ projectName: 'accsync', recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, requestedBy: CAROL, conversationId: '19:other' }, di.client),
    ]);
    expect([first.kind, second.kind].sort()).toEqual(['alreadyPending', 'requested']);
    const [asked, told] = first.kind === 'requested' ? [first, second] : [second, first];
    if (asked.kind !== 'requested' || told.kind !== 'alreadyPending') throw new Error('unreachable');
    expect(told.request.id).toBe(asked.request.id);
    expect((await service().history('AccSync')).map((e) => e.action)).toEqual(['requested']);

    await service().decide(asked.request.id, BOB, 'approve');
    const saved = await service(other.approvals).followUps.applyApproval(asked.request.id, hers(di.client));
    expect(saved).toMatchObject({ scheduleState: 'set', recurrence: asked.request.recurrence });
    expect(di.schedules.get('AccSync')?.recurrence).toEqual(asked.request.recurrence);
    await other.close();
  });

  test('a project typed in quotes and another case ("schedule „accsync“ every 5 minutes") is asked for under its own name', async () => {
    const outcome = await service().request({ projectName: '\u201eaccsync\u201c', recurrence: EVERY_5, requestedBy: ADA, conversationId: 'c' }, di.client);
    expect(outcome).toMatchObject({ kind: 'requested', request: { projectName: 'AccSync' } });
  });

  test('a trail shows each person the part they were shown: where it was asked or its card posted, what they asked, decide or did', async () => {
    const s = service();
    const outcome = await s.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general', approverUserIds: [BOB.userId] }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    await s.recordCard(outcome.request.id, { conversationId: 'a:carol-chat', activityId: 'm1' });
    await s.recordChoice('AccSync', 'paused', EVE);
    const seen = async (asker: Parameters<ApprovalService['trailFor']>[1]) => (await s.trailFor('accsync', asker)).seen.map((e) => `${e.action} ${e.actor?.name}`);
    const request = 'requested Ada Admin';
    expect((await s.trailFor('accsync', { conversationId: 'a:nobody' })).entries).toHaveLength(2);
    expect(await seen({ conversationId: '19:general' })).toEqual([request]); // everyone where it was asked
    expect(await seen({ conversationId: 'a:carol-chat' })).toEqual([request]); // where its card was posted
    expect(await seen({ person: ADA, conversationId: 'a:ada-chat' })).toEqual([request]); // who asked, anywhere
    expect(await seen({ person: BOB, conversationId: 'a:bob-chat' })).toEqual([request]); // an approver it addressed
    expect(await seen({ person: EVE, conversationId: 'a:eve-chat' })).toEqual(['paused Eve Elsewhere']); // only what she did
    expect(await seen({ person: { aadObjectId: 'someone-aad', userId: '29:someone' }, conversationId: 'a:someone-chat' })).toEqual([]);
  });

  describe('a trail busy since: what a person saw is read from a wider window than the newest 20 entries', () => {
    const later = () => { clock = new Date(clock.getTime() + 60_000); };
    const busy = async (s: ApprovalService, times: number) => {
      for (let i = 0; i < times; i++) {
        later();
        await s.recordChoice('AccSync', i % 2 ? 'resumed' : 'paused', EVE);
      }
    };
    const line = (e: AuditEntry) => `${e.action} ${e.actor?.name}`;

    test('the request asked in this channel is still shown here after 20 newer entries made elsewhere, and the rest is said to be hidden', async () => {
      const s = service();
      const outcome = await s.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general', approverUserIds: [BOB.userId] }, di.client);
      if (outcome.kind !== 'requested') throw new Error(outcome.kind);
      await busy(s, 20);
      const trail = await s.trailFor('accsync', { conversationId: '19:general' });
      expect(trail.seen.map(line)).toEqual(['requested Ada Admin']);
      expect(trail.hidden).toBe(true);
      expect(trail.entries).toHaveLength(20); // the newest 20, for whom the service clears
      expect((await s.trailFor('accsync', { person: EVE, conversationId: 'a:eve-chat' })).seen).toHaveLength(20); // hers, the newest 20
    });

    test('someone who saw the newest 20 entries is not told of hidden ones older than those', async () => {
      const s = service();
      await ask(s);
      await busy(s, 25);
      const eve = await s.trailFor('accsync', { person: EVE, conversationId: 'a:eve-chat' });
      expect(eve.seen.map(line)).toEqual(eve.entries.map(line));
      expect(eve.seen).toHaveLength(20);
      expect(eve.hidden).toBe(false);
      const ada = await s.trailFor('accsync', { person: ADA, conversationId: 'a:ada-chat' });
      expect(ada.seen.map(line)).toEqual(['requested Ada Admin']);
      expect(ada.hidden).toBe(true);
    });

    test('a trail seen whole hides nothing; one seen by nobody hides all of it', async () => {
      const s = service();
      await ask(s);
      await busy(s, 3);
      expect(await s.trailFor('accsync', { person: EVE, conversationId: '19:general' })).toMatchObject({ hidden: false, seen: { length: 4 } });
      expect(await s.trailFor('accsync', { conversationId: 'a:nobody' })).toMatchObject({ hidden: true, seen: [], entries: { length: 4 } });
      expect(await s.trailFor('nope', { conversationId: 'a:nobody' })).toEqual({ hidden: false, seen: [], entries: [] });
    });
  });

  test('unknown projects, manual recurrences and a policy nobody can satisfy are refused before anything is stored', async () => {
    const s = service();
    expect((await s.request({ projectName: 'nope', recurrence: EVERY_5, requestedBy: ADA, conversationId: 'c' }, di.client)).kind).toBe('projectNotFound');
    expect((await s.request({ projectName: 'AccSync', recurrence: { kind: 'manual' }, requestedBy: ADA, conversationId: 'c' }, di.client)).kind).toBe('notRecurring');
    const lonely = new ApprovalService({ store: stores.approvals, ttlHours: 1, policy: { approvers: [ADA.aadObjectId], allowSelfApproval: false } });
    expect((await lonely.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: 'c' }, di.client)).kind).toBe('noApprovers');
    expect(await s.history('AccSync')).toEqual([]);
  });

  test('a non-approver and the requester are refused and nothing changes', async () => {
    const s = service();
    const request = await ask(s);
    expect(await s.decide(request.id, EVE, 'approve')).toMatchObject({ kind: 'refused', reason: REFUSALS.notApprover });
    expect(await s.decide(request.id, ADA, 'approve')).toMatchObject({ kind: 'refused', reason: REFUSALS.selfApproval });
    expect((await s.current(request.id))?.status).toBe('pending');
    expect((await s.history('AccSync')).map((e) => e.action)).toEqual(['requested']);
  });

  test('a decision is taken once: a double click and a second approver are told, the trail has one decision', async () => {
    const s = service();
    const request = await ask(s);
    const first = await s.decide(request.id, BOB, 'approve', '  fine by me  ');
    expect(first).toMatchObject({ kind: 'decided', request: { status: 'approved', decidedBy: BOB, comment: 'fine by me' } });
    expect(await s.decide(request.id, BOB, 'approve')).toMatchObject({ kind: 'alreadyDecided' });
    expect(await s.decide(request.id, CAROL, 'reject')).toMatchObject({ kind: 'alreadyDecided', request: { status: 'approved' } });
    expect((await s.history('accsync')).filter((e) => e.action === 'approved' || e.action === 'rejected')).toHaveLength(1);
  });

  test('two processes deciding the same request at the same moment record one decision', async () => {
    const request = await ask();
    const instances = [await again(), await again()];
    const services = instances.map((d) => service(d.approvals));
    const outcomes = await Promise.all([
      Promise.resolve().then(() => services[0].decide(request.id, BOB, 'approve')),
      Promise.resolve().then(() => services[1].decide(request.id, CAROL, 'reject')),
      Promise.resolve().then(() => services[0].decide(request.id, BOB, 'approve')),
    ]);
    expect(outcomes.filter((o) => o.kind === 'decided')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'alreadyDecided')).toHaveLength(2);
    await Promise.all(instances.map((d) => d.close()));
  });

  test('a request expires after APPROVAL_TTL_HOURS: it cannot be approved and is recorded as expired', async () => {
    const s = service();
    const request = await ask(s);
    clock = new Date('2025-03-04T08:59:59.000Z');
    expect(await s.expireDue()).toEqual([]);
    clock = new Date('2025-03-04T09:00:00.000Z');
    expect(await s.decide(request.id, BOB, 'approve')).toMatchObject({ kind: 'expired', request: { status: 'expired' } });
    expect(await s.followUps.applyApproval(request.id, hers(di.client))).toBeUndefined();
    expect(di.calls).not.toContain('setSchedule');
    expect((await s.history('AccSync')).map((e) => e.action)).toEqual(['expired', 'requested']);
  });

  test('the expiry sweep expires due requests once', async () => {
    const s = service();
    const request = await ask(s);
    clock = new Date('2025-03-05T00:00:00.000Z');
    expect((await s.expireDue()).map((r) => r.id)).toEqual([request.id]);
    expect(await s.expireDue()).toEqual([]);
  });

  test('an approval saves the schedule through the service once, and the trail says so', async () => {
    const s = service();
    const request = await ask(s);
    await s.decide(request.id, BOB, 'approve');
    const [applied, again] = await Promise.all([s.followUps.applyApproval(request.id, hers(di.client)), s.followUps.applyApproval(request.id, hers(di.client))]);
    expect(applied).toMatchObject({ scheduleState: 'set', scheduledNextRunAt: '2030-01-01T00:05:00.000Z' });
    expect(again).toBeUndefined();
    expect(di.calls.filter((c) => c === 'setSchedule')).toHaveLength(1);
    expect(di.schedules.get('AccSync')?.recurrence).toEqual(EVERY_5);
    expect((await s.history('AccSync')).map((e) => e.action)).toEqual(['scheduleSet', 'approved', 'requested']);
  });

  test('a refusal by the service is recorded with its reason, and a rejected request never reaches the service', async () => {
    const s = service();
    const request = await ask(s);
    await s.decide(request.id, BOB, 'approve');
    di.failWith = new DataIntegrationError('refused', { service: 'integrator', code: 'validation', status: 400, validationIssues: [{ severity: 'error', message: 'The tenant has 50 scheduled projects.' }] });
    const refused = await s.followUps.applyApproval(request.id, hers(di.client));
    expect(refused).toMatchObject({ scheduleState: 'failed' });
    expect(ENGLISH.reply(refused!.scheduleMessage!)).toBe('The tenant has 50 scheduled projects.');
    const [entry] = await s.history('AccSync');
    expect(entry).toMatchObject({ action: 'scheduleFailed' });
    expect(ENGLISH.reply(entry.detail!)).toBe('The tenant has 50 scheduled projects.');

    di.failWith = undefined;
    const s2 = service(); // the first request is decided, so a new one may be asked
    const second = await ask(s2);
    await s2.decide(second.id, BOB, 'reject', 'not in quarter close');
    expect(await s2.followUps.applyApproval(second.id, hers(di.client))).toBeUndefined();
    expect((await s2.history('AccSync'))[0]).toMatchObject({ action: 'rejected', actor: BOB, comment: 'not in quarter close' });
  });

  describe('no decision is lost to a later one (issue 28, item 5)', () => {
    const later = (minutes: number) => { clock = new Date(clock.getTime() + minutes * 60_000); };
    const approved = async (s: ApprovalService) => {
      const request = await ask(s);
      later(1);
      return request;
    };

    test('an approval that lands on a paused project saves the schedule, keeps it paused and names who paused it', async () => {
      const s = service();
      const request = await approved(s);
      di.setPaused('AccSync', true);
      await s.recordChoice('AccSync', 'paused', CAROL);
      later(1);
      await s.decide(request.id, BOB, 'approve');
      const applied = await s.followUps.applyApproval(request.id, hers(di.client));
      expect(applied).toMatchObject({ scheduleState: 'set', keptPaused: { by: CAROL, at: '2025-03-01T09:01:00.000Z' } });
      expect(applied?.scheduledNextRunAt).toBeUndefined();
      expect(di.schedules.get('AccSync')).toMatchObject({ recurrence: EVERY_5, paused: true });
      expect((await s.history('AccSync')).map((e) => [e.action, e.actor?.name])).toEqual([
        ['scheduleSet', undefined], ['approved', BOB.name], ['paused', CAROL.name], ['requested', ADA.name]]);
    });

    test('a resume after the pause is kept too: the approval then lets it run', async () => {
      const s = service();
      const request = await approved(s);
      await s.recordChoice('AccSync', 'paused', CAROL);
      later(1);
      di.setPaused('AccSync', false);
      await s.recordChoice('AccSync', 'resumed', ADA);
      later(1);
      await s.decide(request.id, BOB, 'approve');
      const applied = await s.followUps.applyApproval(request.id, hers(di.client));
      expect(applied?.keptPaused).toBeUndefined();
      expect(applied?.scheduledNextRunAt).toBe('2030-01-01T00:05:00.000Z');
      expect(di.schedules.get('AccSync')?.paused).toBe(false);
      expect(di.calls).not.toContain('pauseSchedule');
    });

    test('a project paused outside the bot stays paused too, without a name; a rejection leaves a pause alone', async () => {
      const s = service();
      const request = await approved(s);
      di.setPaused('AccSync', true);
      await s.decide(request.id, BOB, 'approve');
      expect(await s.followUps.applyApproval(request.id, hers(di.client))).toMatchObject({ scheduleState: 'set', keptPaused: {} });
      expect(di.schedules.get('AccSync')?.paused).toBe(true);

      const second = await ask(s);
      await s.decide(second.id, BOB, 'reject');
      expect(await s.followUps.applyApproval(second.id, hers(di.client))).toBeUndefined();
      expect(di.schedules.get('AccSync')).toMatchObject({ recurrence: EVERY_5, paused: true });
    });

    test('when the pause cannot be put back, the schedule is recorded as saved with a warning that says how to pause it', async () => {
      const s = service();
      const request = await approved(s);
      di.setPaused('AccSync', true);
      await s.decide(request.id, BOB, 'approve');
      const client = di.client;
      client.pauseSchedule = async () => { throw new DataIntegrationError('down', { service: 'integrator', code: 'server_error', status: 503, retryable: true }); };
      const applied = await s.followUps.applyApproval(request.id, hers(client));
      expect(applied?.scheduleState).toBe('set');
      expect(ENGLISH.reply(applied!.scheduleMessage!)).toMatch(/saved, but I could not pause it again.*click Pause/);
      expect(applied?.keptPaused).toBeUndefined();
    });
  });

  describe('a save that got no answer is not a refusal: it is read back, tried again, and ended plainly', () => {
    const later = (minutes: number) => { clock = new Date(clock.getTime() + minutes * 60_000); };
    const approvedBy = async (s: ApprovalService) => {
      const request = await ask(s);
      await s.decide(request.id, BOB, 'approve', undefined, '29:bob-chat');
      return request;
    };
    const noAnswer = () => new DataIntegrationError('Data Integrator did not answer within 10000 ms', { service: 'integrator', code: 'timeout', retryable: true });

    test('a time-out after the service saved it: read back, it is saved', async () => {
      const s = service();
      const request = await approvedBy(s);
      const client = di.client;
      const save = client.setSchedule;
      client.setSchedule = async (p, r) => { await save(p, r); throw noAnswer(); };
      expect(await s.followUps.applyApproval(request.id, hers(client))).toMatchObject({ scheduleState: 'set', toAnnounce: true });
      expect((await s.history('AccSync'))[0].action).toBe('scheduleSet');
    });

    test('a 5xx that did not save it: the request waits, due again after a minute, then 2, 4 …; the next attempt saves it', async () => {
      const s = service();
      const request = await approvedBy(s);
      di.failWith = new DataIntegrationError('bad gateway', { service: 'integrator', code: 'server_error', status: 502, retryable: true });
      const waiting = await s.followUps.applyApproval(request.id, hers(di.client));
      expect(waiting).toMatchObject({ status: 'approved', scheduleAttempts: 1 });
      expect(waiting?.scheduleState).toBeUndefined();
      expect(ENGLISH.reply(waiting!.scheduleMessage!)).toMatch(/^Not saved yet: the Data Integration service is not answering\. I try again every few minutes until/);
      expect(await s.followUps.dueForSaving()).toEqual([]);
      later(1);
      expect((await s.followUps.dueForSaving()).map((r) => r.id)).toEqual([request.id]);
      expect(await s.followUps.applyApproval(request.id, hers(di.client))).toMatchObject({ scheduleAttempts: 2 });
      later(1);
      expect(await s.followUps.dueForSaving()).toEqual([]);
      later(1);
      di.failWith = undefined;
      expect(await s.followUps.applyApproval(request.id, hers(di.client))).toMatchObject({ scheduleState: 'set', scheduleAttempts: 3 });
      expect(await s.followUps.dueForSaving()).toEqual([]);
      expect(di.calls.filter((c) => c === 'setSchedule')).toHaveLength(1);
    });

    test('nobody signed in: it waits, saying who can sign in; six hours after the decision it ends, saying so', async () => {
      const s = service();
      const request = await approvedBy(s);
      const waiting = await s.followUps.applyApproval(request.id, hers(undefined));
      expect(waiting?.scheduleState).toBeUndefined();
      expect(ENGLISH.reply(waiting!.scheduleMessage!)).toMatch(/neither Ada Admin \(who asked\) nor Bob Approver \(who approved\) is signed in.*typing "sign in"/);
      later(6 * 60);
      const ended = await s.followUps.applyApproval(request.id, hers(undefined));
      expect(ended).toMatchObject({ status: 'approved', scheduleState: 'failed', scheduleGaveUp: true, toAnnounce: true });
      expect(ENGLISH.reply(ended!.scheduleMessage!)).toMatch(/^It was not saved: neither .* I tried for 6 hours and stopped\.$/);
      expect(await s.followUps.dueForSaving()).toEqual([]);
      expect(di.calls).not.toContain('setSchedule');
    });

    test('a claim whose instance stopped is taken over after five minutes, not before', async () => {
      const s = service();
      const request = await approvedBy(s);
      expect(await stores.approvals.claimScheduling(request.id, clock.toISOString(), '1970-01-01T00:00:00.000Z')).toBe(true);
      later(4);
      expect(await s.followUps.dueForSaving()).toEqual([]);
      expect(await s.followUps.applyApproval(request.id, hers(di.client))).toBeUndefined();
      later(1);
      expect((await s.followUps.dueForSaving()).map((r) => r.id)).toEqual([request.id]);
      expect(await s.followUps.applyApproval(request.id, hers(di.client))).toMatchObject({ scheduleState: 'set', scheduleAttempts: 2 });
    });
  });
});
