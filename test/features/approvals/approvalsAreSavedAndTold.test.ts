/**
 * What people see after a click on Approve, whatever happens between the click and the service: the schedule is
 * saved (by the click, or later by the sweep of any instance), a service that did not answer is not called a
 * refusal, and every outcome (an expiry too, wherever it happened) is told once on the cards and to the requester.
 * Driven at the card-action level on SQLite (the store's claims are tested on both backends in test/storage).
 */
import type { TurnContext } from 'botbuilder';
import { ApprovalService } from '../../../src/scheduleApprovals/approvalService';
import type { ClientOwner } from '../../../src/integration';
import { approvalActions } from '../../../src/features/approvals/approvalActions';
import { registerApprovals } from '../../../src/features/approvals/registerApprovals';
import { BackgroundWork } from '../../../src/features/backgroundWork';
import { DataIntegrationError, type DataIntegration, type Schedule } from '../../../src/integration/port';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { createLogger } from '../../../src/logger';
import { VERBS } from '../../../src/verbs';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';
import { cardReading } from '../../helpers/cardWalk';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver', userId: '29:bob' };
const CAROL = { aadObjectId: 'carol-aad', name: 'Carol Approver', userId: '29:carol' };
const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;

/** A turn of `who` in `conversation`, enough for the card actions. */
const turn = (who: typeof BOB, conversation = '19:general') => ({
  activity: { from: { id: who.userId, name: who.name, aadObjectId: who.aadObjectId }, conversation: { id: conversation }, locale: 'en-GB' },
  turnState: new Map(),
}) as unknown as TurnContext;

/** One instance of the bot's approvals on a state: its service, card actions, sweep, and what it sent. */
function instance(stores: StateStores, clock: () => Date, integrationFor: (of: ClientOwner) => Promise<DataIntegration | undefined>) {
  const approvals = new ApprovalService({
    store: stores.approvals, ttlHours: 72, now: clock,
    policy: { approvers: [ADA.aadObjectId, BOB.aadObjectId, CAROL.aadObjectId], allowSelfApproval: false },
  });
  const told: string[] = [];
  const cards = new Map<string, unknown>();
  const sender = {
    send: async (_to: unknown, a: { text?: string }) => { told.push(a.text ?? ''); return { status: 'sent' as const, activityId: 'm' }; },
    update: async (_c: string, id: string, a: { attachments?: Array<{ content: unknown }> }) => { cards.set(id, a.attachments?.[0]?.content); return { status: 'sent' as const, activityId: id }; },
  };
  const background = new BackgroundWork();
  const deps = { approvals, sender: sender as never, integrationFor, background, logger: createLogger('silent') };
  const bot = { onTextCommand: () => bot, onCardActions: () => bot };
  const swept = registerApprovals(bot as never, { ...deps, refs: {} as never, source: async () => { throw new Error('unused'); }, expirySweepMs: 5 });
  return {
    approvals, told, background, actions: approvalActions(deps),
    card: (id: string) => cardReading(cards.get(id)),
    /** Lets the sweep run a few times, then waits for what it started. */
    async sweep() {
      swept.start();
      await new Promise((r) => setTimeout(r, 40));
      swept.stop();
      await background.idle();
    },
  };
}

describe('an approved schedule is saved and told, whatever happens after the click', () => {
  let dir: string;
  let stores: StateStores;
  let now: Date;
  let di: FakeIntegration;
  const clock = () => now;
  const later = (minutes: number) => { now = new Date(now.getTime() + minutes * 60_000); };
  const signedIn = async () => di.client;
  const ask = async (bot: ReturnType<typeof instance>) => {
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(`not requested: ${outcome.kind}`);
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '29:bob-chat', activityId: 'bob-copy' });
    return outcome.request;
  };
  const setScheduleCalls = () => di.calls.filter((c) => c === 'setSchedule').length;

  beforeEach(() => {
    dir = tempDataDir();
    stores = openSqliteStateStores(dir);
    now = new Date('2025-03-01T09:00:00.000Z');
    di = new FakeIntegration().addProject('AccSync');
  });
  afterEach(() => stores.close());

  test('a failure updating the cards does not stop the save: the schedule is saved and the cards say so', async () => {
    const bot = instance(stores, clock, signedIn);
    const request = await ask(bot);
    const cards = stores.approvals.cards.bind(stores.approvals);
    let failures = 1; // one store read fails (Azure answers within 3 s or the call is cancelled); the next works
    stores.approvals.cards = async (id) => { if (failures-- > 0) throw new Error('the state store did not answer within 3000 ms'); return cards(id); };
    const answer = await bot.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    expect(answer.text).toMatch(/You approved the schedule/);
    await bot.background.idle();
    expect(await bot.approvals.current(request.id)).toMatchObject({ status: 'approved', scheduleState: 'set' });
    expect(setScheduleCalls()).toBe(1);
    expect(bot.card('channel-card')).toMatch(/Scheduled\. First run/);
    expect(bot.told.filter((t) => /approved the schedule of "AccSync"/.test(t))).toHaveLength(1);
  });

  test('an instance that stops after the click: the sweep of another saves it with the requester\'s sign-in and tells her once', async () => {
    const stopped = instance(stores, clock, signedIn);
    const request = await ask(stopped);
    stopped.background.run = () => undefined; // the click is answered; its background work never runs
    await stopped.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: request.id });
    const asked: ClientOwner[] = [];
    const other = instance(openSqliteStateStores(dir), clock, async (of) => { asked.push(of); return di.client; });
    await other.sweep();
    expect(await other.approvals.current(request.id)).toMatchObject({ scheduleState: 'set' });
    expect(asked[0]).toEqual({ owner: ADA, conversationId: '19:general' });
    expect(other.card('bob-copy')).toMatch(/Scheduled\. First run/);
    await other.sweep();
    expect(setScheduleCalls()).toBe(1);
    expect(other.told.filter((t) => /approved the schedule of "AccSync"/.test(t))).toHaveLength(1);
  });

  test('with the requester signed out, the approver\'s sign-in is used, reached where the approver clicked', async () => {
    const stopped = instance(stores, clock, signedIn);
    const request = await ask(stopped);
    stopped.background.run = () => undefined;
    await stopped.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat;messageid=7'), { requestId: request.id });
    const asked: ClientOwner[] = [];
    const other = instance(openSqliteStateStores(dir), clock, async (of) => { asked.push(of); return of.owner.aadObjectId === BOB.aadObjectId ? di.client : undefined; });
    await other.sweep();
    expect(asked).toEqual([{ owner: ADA, conversationId: '19:general' }, { owner: BOB, conversationId: '29:bob-chat' }]);
    expect((await other.approvals.current(request.id))?.scheduleState).toBe('set');
  });

  test('a refresh of the card, or another approver\'s click, saves an approval whose instance stopped', async () => {
    const stopped = instance(stores, clock, signedIn);
    const request = await ask(stopped);
    stopped.background.run = () => undefined;
    await stopped.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    const other = instance(openSqliteStateStores(dir), clock, signedIn);
    await other.actions[VERBS.refreshApproval](turn(CAROL), { requestId: request.id });
    const carol = await other.actions[VERBS.approveSchedule](turn(CAROL), { requestId: request.id });
    await other.background.idle();
    expect(cardReading(carol.card)).toContain('Saving the schedule');
    expect((await other.approvals.current(request.id))?.scheduleState).toBe('set');
    expect(setScheduleCalls()).toBe(1);
  });

  test('two instances sweeping at once save the schedule once and tell it once', async () => {
    const stopped = instance(stores, clock, signedIn);
    const request = await ask(stopped);
    stopped.background.run = () => undefined;
    await stopped.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    const [one, two] = [instance(openSqliteStateStores(dir), clock, signedIn), instance(openSqliteStateStores(dir), clock, signedIn)];
    await Promise.all([one.sweep(), two.sweep()]);
    expect(setScheduleCalls()).toBe(1);
    expect([...one.told, ...two.told].filter((t) => /approved the schedule/.test(t))).toHaveLength(1);
    expect((await one.approvals.current(request.id))?.scheduleState).toBe('set');
  });

  test('a time-out from a service that saved it anyway: read back, the card says "Scheduled", not "refused"', async () => {
    const client = di.client;
    const save = client.setSchedule;
    client.setSchedule = async (p, r): Promise<Schedule> => {
      await save(p, r);
      throw new DataIntegrationError('Data Integrator did not answer within 10000 ms', { service: 'integrator', code: 'timeout', retryable: true });
    };
    const bot = instance(stores, clock, async () => client);
    const request = await ask(bot);
    await bot.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    const view = await bot.actions[VERBS.refreshApproval](turn(ADA), { requestId: request.id });
    expect(cardReading(view.card)).toMatch(/Scheduled\./);
    expect(cardReading(view.card)).not.toMatch(/refused/);
  });

  test('a service that does not answer for six hours: the card says it is tried again, then that it stopped, and the requester is told', async () => {
    const bot = instance(stores, clock, signedIn);
    const request = await ask(bot);
    di.failWith = new DataIntegrationError('bad gateway', { service: 'integrator', code: 'server_error', status: 502, retryable: true });
    await bot.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    expect(bot.card('channel-card')).toMatch(/Saving the schedule… Not saved yet: the Data Integration service is not answering\. I try again every few minutes until/);
    expect(bot.told).toEqual([expect.stringMatching(/Bob Approver approved the schedule of "AccSync" \(every 5 minutes\)\. Not saved yet/)]);
    later(6 * 60);
    await bot.sweep();
    const card = bot.card('channel-card');
    expect(card).toMatch(/It was not saved: the Data Integration service is not answering\. I tried for 6 hours and stopped\. To ask again, type "schedule AccSync every 5 minutes"\./);
    expect(card).not.toMatch(/refused/);
    expect(bot.told).toHaveLength(2);
    expect(bot.told[1]).toMatch(/Bob Approver approved the schedule of "AccSync"\. It was not saved: .* stopped\. To ask again/);
  });

  test('nobody signed in: the card and the requester are told who should sign in, and the sweep saves it once someone did', async () => {
    let client: DataIntegration | undefined;
    const bot = instance(stores, clock, async () => client);
    const request = await ask(bot);
    await bot.actions[VERBS.approveSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    expect(di.calls).not.toContain('setSchedule');
    const view = await bot.actions[VERBS.refreshApproval](turn(ADA), { requestId: request.id });
    expect(cardReading(view.card)).not.toMatch(/refused/);
    expect(cardReading(view.card)).toMatch(/neither Ada Admin \(who asked\) nor Bob Approver \(who approved\) is signed in to Data Integration.*typing "status"/);
    expect(bot.told).toHaveLength(1);
    client = di.client; // Ada signs in
    later(1);
    await bot.sweep();
    expect((await bot.approvals.current(request.id))?.scheduleState).toBe('set');
    expect(bot.told.at(-1)).toMatch(/approved the schedule of "AccSync" \(every 5 minutes\)\. It is scheduled/);
  });
});

describe('every expiry is told once, wherever it happened', () => {
  let stores: StateStores;
  let now: Date;
  let di: FakeIntegration;
  beforeEach(() => {
    stores = openSqliteStateStores(tempDataDir());
    now = new Date('2025-03-01T09:00:00.000Z');
    di = new FakeIntegration().addProject('AccSync');
  });
  afterEach(() => stores.close());

  const expiredRequest = async () => {
    const bot = instance(stores, () => now, async () => di.client);
    const outcome = await bot.approvals.request({ projectName: 'AccSync', recurrence: EVERY_5, requestedBy: ADA, conversationId: '19:general' }, di.client);
    if (outcome.kind !== 'requested') throw new Error(outcome.kind);
    await bot.approvals.recordCard(outcome.request.id, { conversationId: '29:bob-chat', activityId: 'bob-copy' }); // Bob's copy, buttons baked in
    now = new Date('2025-03-04T09:00:30.000Z'); // 30 s past its expiry
    return { bot, id: outcome.request.id };
  };
  const toldExpiry = (told: string[]) => told.filter((t) => /nobody decided/i.test(t));

  test.each([
    ['"status" or a new "schedule" request', async (bot: ReturnType<typeof instance>) => { await bot.approvals.pending('AccSync'); }],
    ['the sweep itself', async () => undefined],
  ])('an expiry through %s: the sweep updates every card and tells the requester, once', async (_how, expireFirst) => {
    const { bot, id } = await expiredRequest();
    await expireFirst(bot);
    await bot.sweep();
    await bot.sweep();
    expect((await bot.approvals.current(id))?.status).toBe('expired');
    expect(bot.card('bob-copy')).toMatch(/Nobody decided before/);
    expect(toldExpiry(bot.told)).toHaveLength(1);
  });

  test('an expiry through a click: told at once, and a second click or the sweep tells nothing more', async () => {
    const { bot } = await expiredRequest();
    const { id } = (await stores.approvals.dueForExpiry(now.toISOString()))[0];
    const click = await bot.actions[VERBS.approveSchedule](turn(BOB), { requestId: id });
    expect(click.text).toMatch(/expired/);
    await bot.background.idle();
    expect(bot.card('bob-copy')).toMatch(/Nobody decided before/);
    await bot.actions[VERBS.approveSchedule](turn(CAROL), { requestId: id });
    await bot.sweep();
    expect(toldExpiry(bot.told)).toHaveLength(1);
  });
});
