/**
 * What people see after a click on Approve, whatever happens between the click and the service: the schedule is
 * saved (by the click, or later by the sweep of any instance), a service that did not answer is not called a
 * refusal, and every outcome (an expiry too, wherever it happened) is told once on the cards and to the requester:
 * also when its telling is cut short (an instance that dies after claiming it, a Bot Connector down for a while, a
 * copy of the card not updated), never twice in the normal path, and a telling that cannot be done (the conversation
 * is gone, or it keeps failing) ends with a log line instead of being tried forever.
 * Driven at the card-action level on SQLite (the store's claims are tested on both backends in test/storage).
 */
import type { ClientOwner } from '../../../src/integration';
import { DataIntegrationError, type DataIntegration, type Schedule } from '../../../src/integration/port';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { ANNOUNCE_ATTEMPTS } from '../../../src/scheduleApprovals/approvalFollowUps';
import type { DeliveryResult } from '../../../src/notifications/proactiveSender';
import { createLogger } from '../../../src/logger';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';
import { cardReading } from '../../helpers/cardWalk';
import { ADA, approvalsInstance as instance, BOB, CAROL, turn } from '../../helpers/approvalsInstance';

const EVERY_5 = { kind: 'recurring', every: 5, unit: 'minutes' } as const;
const UNAVAILABLE: DeliveryResult = { status: 'failed', reason: '503 ServiceUnavailable', unavailable: true };
const never = new Promise<DeliveryResult>(() => undefined);
/** Log lines as the operator reads them. */
const logLines = () => {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('info', { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } }) };
};

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
    expect(cardReading(view.card)).toMatch(/neither Ada Admin \(who asked\) nor Bob Approver \(who approved\) is signed in to Data Integration.*typing "sign in"/);
    expect(bot.told).toHaveLength(1);
    client = di.client; // Ada signs in
    later(1);
    await bot.sweep();
    expect((await bot.approvals.current(request.id))?.scheduleState).toBe('set');
    expect(bot.told.at(-1)).toMatch(/approved the schedule of "AccSync" \(every 5 minutes\)\. It is scheduled/);
  });

  test.each([
    ['a rejection', VERBS.rejectSchedule, /Bob Approver rejected the schedule of "AccSync"/, /Schedule rejected .* Rejected by \| Bob Approver/],
    ['a saved schedule', VERBS.approveSchedule, /Bob Approver approved the schedule of "AccSync" \(every 5 minutes\)\. It is scheduled/, /Scheduled\. First run/],
  ])('%s: the instance dies after claiming the telling; another instance\'s sweep tells it a few minutes later, once', async (_what, verb, toldText, cardText) => {
    let reached!: () => void;
    const atTheSend = new Promise<void>((resolve) => { reached = resolve; });
    // The process dies as it posts the outcome to the requester (its cards were updated: the other instance updates them again).
    const dying = instance(stores, clock, signedIn, { connector: { send: () => { reached(); return never; } } });
    const request = await ask(dying);
    dying.background.run = (_what, work) => { void work(); }; // nothing waits for a process that died
    await dying.actions[verb](turn(BOB, '29:bob-chat'), { requestId: request.id });
    await atTheSend;
    expect(dying.told).toEqual([]);

    const other = instance(openSqliteStateStores(dir), clock, signedIn);
    later(1); // the claim is fresh: its instance may still be telling it
    await other.sweep();
    expect(other.told).toEqual([]);
    later(5);
    await other.sweep();
    expect(other.told.filter((t) => toldText.test(t))).toHaveLength(1);
    expect(other.told).toHaveLength(1);
    expect(other.card('bob-copy')).toMatch(cardText);
    expect(other.card('channel-card')).toMatch(cardText);
    later(10);
    await other.sweep();
    await instance(openSqliteStateStores(dir), clock, signedIn).sweep();
    expect(other.told).toHaveLength(1);
    expect(di.calls.filter((c) => c === 'setSchedule').length).toBe(verb === VERBS.approveSchedule ? 1 : 0);
  });

  test('a Bot Connector that is down when the outcome is told: told once when it is back, not at every sweep meanwhile', async () => {
    let down = true;
    const sends: string[] = [];
    const bot = instance(stores, clock, signedIn, { connector: { send: async (text) => { sends.push(text); return down ? UNAVAILABLE : { status: 'sent' }; } } });
    const request = await ask(bot);
    await bot.actions[VERBS.rejectSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    expect(bot.told).toEqual([]);
    expect(bot.card('channel-card')).toMatch(/Schedule rejected .* Rejected by \| Bob Approver/);
    later(1);
    await bot.sweep();
    expect(sends).toHaveLength(1); // tried again only once the claim has run out
    down = false;
    later(5);
    await bot.sweep();
    later(10);
    await bot.sweep();
    expect(bot.told).toEqual([expect.stringMatching(/Bob Approver rejected the schedule of "AccSync"/)]);
    expect(sends).toHaveLength(2);
  });

  test('a copy of the card not updated for a passing reason: updated later, and the requester is not told again', async () => {
    let bobsCopyFails = true;
    const bot = instance(stores, clock, signedIn, { connector: { update: async (id) => (id === 'bob-copy' && bobsCopyFails ? UNAVAILABLE : { status: 'sent', activityId: id }) } });
    const request = await ask(bot);
    await bot.actions[VERBS.rejectSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    expect(bot.told).toHaveLength(1);
    expect(bot.card('bob-copy')).toBe('');
    bobsCopyFails = false;
    later(6);
    await bot.sweep();
    expect(bot.card('bob-copy')).toMatch(/Schedule rejected .* Rejected by \| Bob Approver/);
    later(6);
    await bot.sweep();
    expect(bot.told).toHaveLength(1);
  });

  test('a conversation that is gone ends the telling with a log line: not tried again', async () => {
    const { lines, logger } = logLines();
    let sends = 0;
    const bot = instance(stores, clock, signedIn, { connector: { send: async () => { sends += 1; return { status: 'gone', reason: '403 BotNotInConversationRoster' }; } }, logger });
    const request = await ask(bot);
    await bot.actions[VERBS.rejectSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    for (let i = 0; i < 3; i += 1) {
      later(6);
      await bot.sweep();
    }
    expect(sends).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, requestId: request.id, reason: '403 BotNotInConversationRoster', msg: expect.stringMatching(/^approval outcome not told:/) }));
  });

  test(`a connector that never takes it: tried ${ANNOUNCE_ATTEMPTS} times, a few minutes apart, then given up with a log line`, async () => {
    const { lines, logger } = logLines();
    let sends = 0;
    const bot = instance(stores, clock, signedIn, { connector: { send: async () => { sends += 1; return UNAVAILABLE; } }, logger });
    const request = await ask(bot);
    await bot.actions[VERBS.rejectSchedule](turn(BOB), { requestId: request.id });
    await bot.background.idle();
    for (let i = 0; i < ANNOUNCE_ATTEMPTS + 3; i += 1) {
      later(6);
      await bot.sweep();
    }
    expect(sends).toBe(ANNOUNCE_ATTEMPTS);
    expect(lines.filter((l) => l.msg === 'approval outcome not told yet: tried again in a few minutes')).toHaveLength(ANNOUNCE_ATTEMPTS - 1);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, requestId: request.id, gaveUp: true, msg: expect.stringMatching(/^approval outcome not told:/) }));
    expect(await stores.approvals.dueForFollowUp('announce')).toEqual([]);
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
