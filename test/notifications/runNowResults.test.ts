import type { TurnContext } from 'botbuilder';
import { RunStarter, START_RENEWED_MS } from '../../src/features/runs/runStarter';
import { RunStartGate } from '../../src/features/runs/runStartGate';
import { DataIntegrationError, type DataIntegration } from '../../src/integration/port';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher, RunWatcherOptions } from '../../src/notifications/runWatcher';
import { RUN_START_MS, type WatchRecords, WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import type { StateStores } from '../../src/storage/stateStores';
import { ADA, BOB, CHANNEL, TENANT, type Person } from '../helpers/activities';
import { cardText } from '../helpers/cardWalk';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { renewalsByHand } from '../helpers/handRenewals';
import { watchRecordsWith } from '../helpers/heldWatchWrites';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const OWNER = { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sender as ProactiveSender behaves: a conversation without a reference is "gone" (and onGone told); an update of a deleted message fails with `messageGone`. */
class Sender {
  posts: Array<{ target: SendTarget; text: string }> = [];
  updates: Array<{ conversationId: string; activityId: string; text: string }> = [];
  gone = new Set<string>();
  deletedMessages = new Set<string>();
  onGone?: (id: string) => unknown;
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    if (this.gone.has(target.conversationId)) { await this.onGone?.(target.conversationId); return { status: 'gone', reason: 'no reference' }; }
    this.posts.push({ target, text: cardText(activity.attachments?.[0]?.content) });
    const id = `m${this.posts.length}`;
    return target.newThread && !target.replyToId ? { status: 'sent', activityId: id, threadId: id } : { status: 'sent', activityId: id };
  }
  async update(conversationId: string, activityId: string, activity: OutboundActivity): Promise<DeliveryResult> {
    if (this.gone.has(conversationId)) { await this.onGone?.(conversationId); return { status: 'gone', reason: 'no reference' }; }
    this.updates.push({ conversationId, activityId, text: cardText(activity.attachments?.[0]?.content) });
    // ProactiveSender.update: a 404 means the message is gone (not the conversation): failed, neither unavailable nor worth a retry.
    if (this.deletedMessages.has(activityId)) return { status: 'failed', reason: '404 NotFound message not found', unavailable: false, messageGone: true };
    return { status: 'sent', activityId };
  }
}

/** How the "running" card's post goes: answered with an id (the default), answered without one, refused, or never answered (the process died). */
type CardPost = 'posted' | 'noId' | 'fails' | 'dies';

/** A turn in the channel by `who`; the running card's send runs `onCard` first (e.g. another instance's poll), then answers as `post` says. */
function turn(who: Person, cards: string[], onCard: () => Promise<unknown> = async () => undefined, locale = 'en-US', post: CardPost = 'posted'): TurnContext {
  const activity = { from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId }, conversation: { id: CHANNEL, tenantId: TENANT }, locale };
  return {
    activity,
    sendActivity: async (a: { type?: string; attachments?: Array<{ content: unknown }> }) => {
      if (typeof a === 'object' && a.type === 'message') {
        cards.push(cardText(a.attachments?.[0]?.content));
        await onCard();
        if (post === 'fails') throw new Error('502 Bad Gateway');
        if (post === 'dies') await new Promise(() => undefined);
        return post === 'noId' ? {} : { id: 'run-card-1' };
      }
      return { id: 'typing' };
    },
  } as unknown as TurnContext;
}

describe.each([sqliteBackend(), azureBackend()])('"Run now" results and the follow-up ($name)', (backend: StateBackend) => {
  let stores: StateStores;
  let other: StateStores;
  let now: Date;
  let di: FakeIntegration;
  let sender: Sender;
  const key = { projectName: 'AccSync', conversationId: CHANNEL };
  const options: RunWatcherOptions = { pollMs: 10_000, minuteMs: 60_000, stallGraceMinutes: 5, pendingPollMs: 10 };
  /** An instance's watcher over `s`; `records` wraps its watch records, `client` is what its watcher reads the project with. */
  const watcherOver = (s: StateStores, leader = true, opts: Partial<RunWatcherOptions> = {}, over: { records?: (r: WatchRecords) => WatchRecords; client?: () => DataIntegration } = {}) => {
    const watches = new WatchStore(over.records ? over.records(s.watches) : s.watches, () => now);
    sender.onGone = (id) => watches.markConversationGone(id);
    const integrationFor = async () => (over.client ? over.client() : di.client);
    const w = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), leader: { isLeader: () => leader }, integrationFor }, { ...options, ...opts });
    return { w, watches };
  };
  /** A service whose runs fail at once; `during` runs once the run exists, before the service answers (`dies`: it never does). */
  const failingAtOnce = (during: () => Promise<unknown> = async () => undefined, dies = false) => ({
    ...di.client,
    runProject: async (p: string) => {
      di.addRun(p, { id: 'fast', status: 'failed', submittedAt: now.toISOString(), startedAt: now.toISOString(), endedAt: now.toISOString(), message: 'The connection failed' });
      await during();
      if (dies) await new Promise(() => undefined);
      return 'fast';
    },
  }) as DataIntegration;
  /** The result as the channel shows it: the run card's updates and the posts in the thread, each with whether it says the run failed. */
  const told = () => ({ card: sender.updates.map((u) => [u.activityId, u.text.includes('failed')]), thread: sender.posts.map((p) => p.text.includes('AccSync failed')) });

  beforeEach(async () => {
    const opened = await backend.open();
    stores = opened.stores;
    other = await opened.again();
    now = new Date(T0);
    di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
    sender = new Sender();
  }, 60_000);
  afterEach(async () => { await other.close(); await stores.close(); });
  afterAll(() => backend.stop());

  test('a conversation that removed the bot while a "Run now" was pending is not polled forever by the follow-up', async () => {
    const { w, watches } = watcherOver(stores);
    await watches.watch({ ...key, owner: OWNER });
    await watches.addPendingRun(key, { executionId: 'run1', activityId: 'run-card-1', startedAt: iso(0) });
    di.addRun('AccSync', { id: 'run1', status: 'running', startedAt: iso(0), submittedAt: iso(0), endedAt: undefined });
    await w.pollOnce(); // the lead's poll puts the pending run under follow-up
    sender.gone.add(CHANNEL); // the bot is removed from the channel
    di.executions.set('AccSync', []);
    di.addRun('AccSync', { id: 'run1', status: 'failed', startedAt: iso(0), submittedAt: iso(0), endedAt: iso(1) });
    w.follow();
    await sleep(300); // the follow-up finds the conversation gone
    expect((await watches.get(key))?.goneAt).toBeDefined();
    const callsThen = di.calls.length;
    await sleep(500);
    const callsAfter = di.calls.length;
    await w.stop();
    // Once the conversation is known gone, nothing more is read for it.
    expect(callsAfter - callsThen).toBe(0);
  });

  test('a "Run now" whose project cannot be read is followed up with the poll\'s back-off, not every 2 s', async () => {
    const { w, watches } = watcherOver(stores, true, { pollMs: 60_000 });
    await watches.watch({ ...key, owner: OWNER });
    await watches.addPendingRun(key, { executionId: 'run1', activityId: 'run-card-1', startedAt: iso(0) });
    await w.pollOnce(); // the lead's poll puts the pending run under follow-up
    di.failWith = new DataIntegrationError('busy', { service: 'integrator', code: 'server_error', status: 503, retryable: true });
    w.follow();
    await sleep(300);
    await w.stop();
    // One failed look, then nothing before the back-off's next poll (a minute away on this clock).
    expect(di.calls.filter((c) => c === 'listExecutions')).toHaveLength(2);
  });

  test('a "Run now" card that was deleted is tried once, not on every poll forever; its result is alerted in the thread instead', async () => {
    const { w, watches } = watcherOver(stores);
    await watches.watch({ ...key, owner: OWNER });
    await watches.addPendingRun(key, { executionId: 'run1', activityId: 'run-card-1', startedAt: iso(0) });
    sender.deletedMessages.add('run-card-1');
    di.addRun('AccSync', { id: 'run1', status: 'failed', startedAt: iso(0), submittedAt: iso(0), endedAt: iso(1) });
    for (let i = 0; i < 4; i++) { now = new Date(T0 + (2 + i) * 60_000); await w.pollOnce(); }
    const left = await watches.get(key);
    // Not 4 updates of a card that is gone with the run still "pending" (due at every poll, followed every 2 s, blocking Run now for 2 h).
    expect({ updates: sender.updates.length, pending: left?.pendingRuns?.length ?? 0 }).toEqual({ updates: 1, pending: 0 });
    expect(sender.posts.map((p) => [p.target.conversationId, p.text.includes('AccSync failed')])).toEqual([[CHANNEL, true]]);
  });

  test.each<[string, 'service' | 'card' | 'record']>([
    ['while the service starts it (the run ends at once)', 'service'],
    ['while its "running" card is being posted (a slow card post)', 'card'],
    ['after its card was posted, before the run was stored with it', 'record'],
  ])('a fast "Run now" on a non-lead instance tells its result once, on its card, when the lead polls %s', async (_when, moment) => {
    const leader = watcherOver(stores, true);
    const leadPolls = () => leader.w.pollOnce();
    let armed = moment === 'record';
    // The starting instance's store, which can let the lead poll just before the run is stored with its card.
    const follower = watcherOver(other, false, {}, {
      records: (r) => watchRecordsWith<WatchRecords>(r, {
        async put(watch, version) {
          if (armed && watch.pendingRuns?.some((p) => p.executionId === 'fast')) { armed = false; await leadPolls(); }
          return r.put(watch, version);
        },
      }),
    });
    await leader.watches.watch({ ...key, owner: OWNER });
    await leadPolls();
    now = new Date(T0 + 60_000);
    const cards: string[] = [];
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks);
    const client = failingAtOnce(moment === 'service' ? leadPolls : undefined);
    const started = await starter.start(turn(ADA, cards, moment === 'card' ? leadPolls : undefined), client, 'AccSync');
    expect(started.kind).toBe('started');
    now = new Date(T0 + 90_000);
    await leadPolls(); // the lead's next poll
    expect(cards).toEqual([expect.stringContaining('running')]);
    // One message tells the result: the card. Not the card and a thread alert besides.
    expect(told()).toEqual({ card: [['run-card-1', true]], thread: [] });
    expect((await leader.watches.get(key))?.pendingRuns).toBeUndefined();
  });

  test('a fast "Run now" on a non-lead instance tells its result once when the lead read the watches before the start and the runs after the run ended', async () => {
    const cards: string[] = [];
    const follower = watcherOver(other, false);
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks);
    let reachedCard!: () => void;
    const atCard = new Promise<void>((resolve) => { reachedCard = resolve; });
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let start: Promise<unknown> | undefined;
    // The lead's poll has listed the watches; while it asks for the runs, a "Run now" starts a run that fails at once.
    const leader = watcherOver(stores, true, {}, {
      client: () => ({
        ...di.client,
        listExecutions: async (p: string) => {
          start ??= starter.start(turn(ADA, cards, async () => { reachedCard(); await released; }), failingAtOnce(), 'AccSync');
          await atCard;
          return di.client.listExecutions(p);
        },
      }) as DataIntegration,
    });
    await leader.watches.watch({ ...key, owner: OWNER });
    now = new Date(T0 + 60_000);
    await leader.w.pollOnce();
    release();
    await start;
    now = new Date(T0 + 90_000);
    await leader.w.pollOnce();
    expect(told()).toEqual({ card: [['run-card-1', true]], thread: [] });
  });

  test('a fast "Run now" on a non-lead instance is not told again in the thread when its card got the result while the lead was still naming the run\'s rejected records', async () => {
    const follower = watcherOver(other, false);
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks);
    const cards: string[] = [];
    // A run that fails at once with a rejected record: the lead names its records before the alert goes out.
    const fastWithErrors = {
      ...di.client,
      runProject: async (p: string) => {
        di.addRun(p, { id: 'fast', status: 'failed', errorCount: 1, recordErrors: [{ recordId: 'rec-1', message: 'name is empty' }], submittedAt: now.toISOString(), startedAt: now.toISOString(), endedAt: now.toISOString() });
        return 'fast';
      },
    } as DataIntegration;
    let started: Promise<unknown> | undefined;
    // The lead's poll has read the watches (no claim, no card yet); as it asks for the runs, the "Run now" starts and
    // stores its card; while the lead names the run's rejected records, the starting instance's follow-up updates the card.
    const leader = watcherOver(stores, true, {}, {
      client: () => ({
        ...di.client,
        listExecutions: async (p: string) => {
          started ??= starter.start(turn(ADA, cards), fastWithErrors, 'AccSync');
          await started;
          return di.client.listExecutions(p);
        },
        getProject: async () => {
          follower.w.follow();
          for (let i = 0; i < 200 && sender.updates.length === 0; i++) await sleep(10);
          await follower.w.stop();
          return { entityMappings: [] };
        },
      }) as unknown as DataIntegration,
    });
    await leader.watches.watch({ ...key, owner: OWNER });
    now = new Date(T0 + 60_000);
    await leader.w.pollOnce();
    now = new Date(T0 + 90_000);
    await leader.w.pollOnce();
    // One message tells the result: the card. Not the card and a thread alert besides.
    expect(told()).toEqual({ card: [['run-card-1', true]], thread: [] });
  });

  test('a "Run now" whose start takes minutes (a throttled service answering after 90 s) tells its result once, on its card', async () => {
    const leader = watcherOver(stores, true);
    const follower = watcherOver(other, false);
    await leader.watches.watch({ ...key, owner: OWNER });
    await leader.w.pollOnce();
    now = new Date(T0 + 60_000);
    const renewals = renewalsByHand();
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks, undefined, renewals.every);
    // The run fails at once, but the service answers 90 s later (time-outs, Retry-After); the lead polls every 30 s meanwhile.
    const slow = failingAtOnce(async () => {
      for (let s = 90; s <= 150; s += 30) { now = new Date(T0 + s * 1000); await renewals.tick(); await leader.w.pollOnce(); }
    });
    expect((await starter.start(turn(ADA, []), slow, 'AccSync')).kind).toBe('started');
    now = new Date(T0 + 180_000);
    await leader.w.pollOnce();
    // One message tells the result: the card. Not a thread alert once the start's first minute was over, and the card besides.
    expect(told()).toEqual({ card: [['run-card-1', true]], thread: [] });
    expect((await leader.watches.get(key))?.runStarts).toBeUndefined();
  });

  test('a "Run now" whose start never ends on a live instance (a call that never answers) holds the thread back for a bounded time: its result then comes there, once', async () => {
    const leader = watcherOver(stores, true);
    const follower = watcherOver(other, false);
    await leader.watches.watch({ ...key, owner: OWNER });
    now = new Date(T0 + 60_000);
    const renewals = renewalsByHand();
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks, undefined, renewals.every);
    let hung!: () => void;
    const hanging = new Promise<void>((resolve) => { hung = resolve; });
    void starter.start(turn(ADA, []), failingAtOnce(async () => hung(), true), 'AccSync');
    await hanging;
    // The instance renews its claims every 20 s as long as it lives; the lead polls every 30 s.
    const polls: boolean[] = [];
    for (let s = 60; s <= 60 + (START_RENEWED_MS + 2 * RUN_START_MS) / 1000; s += 10) {
      now = new Date(T0 + s * 1000);
      if (s % 20 === 0) await renewals.tick();
      if (s % 30 === 0) { await leader.w.pollOnce(); polls.push(sender.posts.length > 0); }
    }
    expect(told()).toEqual({ card: [], thread: [true] });
    // Not told before the bound (a quarter of an hour, then the claim's last minute), and told by the poll after it.
    const firstTold = polls.indexOf(true);
    expect(firstTold * 30).toBeGreaterThanOrEqual((START_RENEWED_MS + RUN_START_MS) / 1000 - 30);
    expect(firstTold * 30).toBeLessThanOrEqual((START_RENEWED_MS + RUN_START_MS) / 1000 + 30);
  });

  test.each<[string, { post?: CardPost; service?: 'dies' | 'lost' }]>([
    ['its card could not be posted', { post: 'fails' }],
    ['its card was posted but no message id came back', { post: 'noId' }],
    ['the service started it but its answer was lost (a time-out)', { service: 'lost' }],
    ['the instance died after the service started it', { service: 'dies' }],
    ['the instance died after posting its card', { post: 'dies' }],
  ])('the result of a "Run now" still comes once, in the thread, when %s', async (_when, how) => {
    const leader = watcherOver(stores, true);
    const follower = watcherOver(other, false);
    await leader.watches.watch({ ...key, owner: OWNER });
    now = new Date(T0 + 60_000);
    const starter = new RunStarter(follower.watches, follower.w, new RunStartGate(), other.flowLocks);
    const lost = async () => { throw new DataIntegrationError('no answer', { service: 'integrator', code: 'timeout', retryable: true }); };
    let dying!: () => void;
    const died = new Promise<void>((resolve) => { dying = resolve; });
    const client = failingAtOnce(how.service === 'lost' ? lost : how.service === 'dies' ? async () => dying() : undefined, how.service === 'dies');
    const onCard = how.post === 'dies' ? async () => dying() : undefined;
    const start = starter.start(turn(ADA, [], onCard, 'en-US', how.post), client, 'AccSync').catch(() => 'refused');
    // A start that dies gets as far as it goes and no further; the others end.
    await (how.service === 'dies' || how.post === 'dies' ? died : start);
    // The lead polls every 30 s; a start that died is given up a minute after it began.
    for (let s = 90; s <= 180; s += 30) { now = new Date(T0 + s * 1000); await leader.w.pollOnce(); }
    expect(told()).toEqual({ card: [], thread: [true] });
  });

  test('a "Run now" card started by a German speaker gets its result in German, not in the watch owner\'s English', async () => {
    const { w, watches } = watcherOver(stores);
    await watches.watch({ ...key, owner: OWNER, speaks: { locale: 'en-US' } });
    const cards: string[] = [];
    const client = { ...di.client, runProject: async () => 'r-de' } as DataIntegration;
    const starter = new RunStarter(watches, w, new RunStartGate(), stores.flowLocks);
    await starter.start(turn(BOB, cards, async () => undefined, 'de-DE'), client, 'AccSync');
    di.addRun('AccSync', { id: 'r-de', status: 'failed', startedAt: iso(0), endedAt: iso(1) });
    now = new Date(T0 + 2 * 60_000);
    await w.pollOnce();
    expect(cards[0]).toContain('läuft');
    expect(sender.updates).toHaveLength(1);
    expect(sender.updates[0].text).toContain('fehlgeschlagen');
  });

  test('a "Run now" stored before the clicker\'s language was kept still gets its result, in the watch\'s language', async () => {
    const { w, watches } = watcherOver(stores);
    await watches.watch({ ...key, owner: OWNER, speaks: { locale: 'de-DE' } });
    await watches.addPendingRun(key, { executionId: 'old', activityId: 'run-card-1', startedAt: iso(0) }); // no `speaks`, as older records
    di.addRun('AccSync', { id: 'old', status: 'failed', startedAt: iso(0), endedAt: iso(1) });
    now = new Date(T0 + 2 * 60_000);
    await w.pollOnce();
    expect(sender.updates.map((u) => u.text.includes('fehlgeschlagen'))).toEqual([true]);
    expect((await watches.get(key))?.pendingRuns).toBeUndefined();
  });

  test('the follow-up of a "Run now" does not hide the scheduled run that ended beside it from the lead\'s next poll', async () => {
    // An hourly schedule whose next run is at 10:00; a sweep that reaches a project only every 10 polls.
    di.schedules.set('AccSync', { projectName: 'AccSync', recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, paused: false, nextRunAt: iso(60) });
    const { w, watches } = watcherOver(stores, true, { pollMs: 30_000, sweepEveryPolls: 10 });
    await watches.watch({ ...key, owner: OWNER });
    di.addRun('AccSync', { id: 'r8', startedAt: iso(0), submittedAt: iso(0), endedAt: iso(1) });
    now = new Date(T0 + 1.5 * 60_000);
    await w.poll(true, true); // first poll: everything, schedule read (alerting r8)
    expect(sender.posts).toHaveLength(1);
    // 09:59:30 someone clicks Run now; at 10:00 the schedule fires; both end by 10:01.
    await watches.addPendingRun(key, { executionId: 'manual', activityId: 'run-card-1', startedAt: iso(59.5) });
    w.starting(key).done(); // as RunStarter does once the card is registered
    di.addRun('AccSync', { id: 'manual', startedAt: iso(59.5), submittedAt: iso(59.5), endedAt: iso(60.5) });
    di.addRun('AccSync', { id: 'r9', startedAt: iso(60), submittedAt: iso(60), endedAt: iso(61) });
    now = new Date(T0 + 61.2 * 60_000);
    w.follow(); // the follow-up (every 2 s) comes first: the card is updated
    for (let i = 0; i < 50 && sender.updates.length === 0; i++) await sleep(20);
    await w.stop();
    await w.idle();
    expect(sender.updates).toHaveLength(1);
    // The lead's next poll, 30 s later, should alert the scheduled run r9.
    now = new Date(T0 + 61.7 * 60_000);
    await w.poll(false, true);
    expect(sender.posts.map((p) => p.text.includes('AccSync succeeded'))).toEqual([true, true]);
  });
});

