import { DataIntegrationError } from '../../src/integration/port';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher, RunWatcherOptions } from '../../src/notifications/runWatcher';
import { alertPresenter } from '../../src/render/runCards';
import { WatchStore } from '../../src/notifications/watchStore';
import type { StateStores } from '../../src/storage/stateStores';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** Records what the watcher posts; a channel gets a thread with the first message. */
class FakeSender {
  posts: Array<{ target: SendTarget; text: string; card: unknown }> = [];
  goneConversations = new Set<string>();
  /** Threads whose first message was deleted: a reply there is posted as a new thread, as ProactiveSender does. */
  deletedRoots = new Set<string>();
  onGone?: (id: string) => unknown;
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    if (target.replyToId && this.deletedRoots.has(target.replyToId)) return this.send({ conversationId: target.conversationId, newThread: true }, activity);
    if (this.goneConversations.has(target.conversationId)) {
      await this.onGone?.(target.conversationId);
      return { status: 'gone', reason: '403' };
    }
    const card = activity.attachments?.[0]?.content;
    this.posts.push({ target, text: cardText(card), card });
    const id = `m${this.posts.length}`;
    return target.newThread && !target.replyToId ? { status: 'sent', activityId: id, threadId: id } : { status: 'sent', activityId: id };
  }
  updates: Array<{ conversationId: string; activityId: string; text: string }> = [];
  async update(conversationId: string, activityId: string, activity: OutboundActivity): Promise<DeliveryResult> {
    this.updates.push({ conversationId, activityId, text: cardText(activity.attachments?.[0]?.content) });
    return { status: 'sent', activityId };
  }
}

describe.each([sqliteBackend(), azureBackend()])('the run watcher on $name', (backend: StateBackend) => {
  let stores: StateStores;
  let now: Date;
  let di: FakeIntegration;
  let sender: FakeSender;
  let token: boolean;
  let watches: WatchStore;
  const options: RunWatcherOptions = { pollMs: 10, minuteMs: 60_000, stallGraceMinutes: 5 };
  const watcher = () => {
    watches = new WatchStore(stores.watches, () => now);
    sender.onGone = (id) => watches.markConversationGone(id);
    return new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => (token ? di.client : undefined) }, options);
  };

  beforeEach(async () => {
    ({ stores } = await backend.open());
    now = new Date(T0);
    di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' });
    sender = new FakeSender();
    token = true;
    watcher();
    await watches.watch({ projectName: 'AccSync', conversationId: '19:general', owner: OWNER });
  });
  afterEach(() => stores.close());
  afterAll(() => backend.stop());

  test('posts one alert per finished run into the project\'s thread, and never repeats one', async () => {
    const w = watcher();
    di.addRun('AccSync', { id: 'before', endedAt: iso(-10) });
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0.5), endedAt: iso(1) });
    di.addRun('AccSync', { id: 'running', status: 'running', startedAt: iso(1.5), endedAt: undefined });
    now = new Date(T0 + 90_000);
    expect(await w.pollOnce()).toMatchObject({ alerts: 1, failures: 0 });
    expect(sender.posts[0].target).toEqual({ conversationId: '19:general', replyToId: undefined, newThread: true });
    expect(sender.posts[0].text).toContain('AccSync succeeded');

    di.executions.set('AccSync', di.executions.get('AccSync')!.filter((e) => e.id !== 'running'));
    di.addRun('AccSync', { id: 'r2', startedAt: iso(1.5), endedAt: iso(2) });
    await w.pollOnce();
    await w.pollOnce();
    expect(sender.posts.map((p) => p.target.replyToId)).toEqual([undefined, 'm1']);
    expect((await watches.get({ projectName: 'AccSync', conversationId: '19:general' }))?.threadActivityId).toBe('m1');
    sender.posts.forEach((p) => expect(cardProblems(p.card)).toEqual([]));
  });

  test('a thread whose first alert was deleted: the next alert starts a new thread, and the ones after reply there', async () => {
    const w = watcher();
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0.5), endedAt: iso(1) });
    now = new Date(T0 + 90_000);
    await w.pollOnce();
    sender.deletedRoots.add('m1');
    di.addRun('AccSync', { id: 'r2', startedAt: iso(1.5), endedAt: iso(2) });
    now = new Date(T0 + 150_000);
    await w.pollOnce();
    di.addRun('AccSync', { id: 'r3', startedAt: iso(2.5), endedAt: iso(3) });
    now = new Date(T0 + 210_000);
    await w.pollOnce();
    expect(sender.posts.map((p) => p.target.replyToId)).toEqual([undefined, undefined, 'm2']);
    expect((await watches.get({ projectName: 'AccSync', conversationId: '19:general' }))?.threadActivityId).toBe('m2');
  });

  test('a failed run is posted with its per-record reasons', async () => {
    di.addRun('AccSync', {
      id: 'bad', status: 'warning', upserts: 290, errorCount: 5, endedAt: iso(1), startedAt: iso(0.5),
      recordErrors: [
        { recordId: 'rec-1', field: 'name', message: '"name" is 200 characters long; the destination allows at most 160' },
        { recordId: 'rec-2', message: 'Required field "name" is empty' },
        { recordId: 'rec-3', message: 'third' }, { recordId: 'rec-4', message: 'fourth' },
      ],
    });
    di.addRun('AccSync', { id: 'worse', status: 'failed', upserts: 0, errorCount: 0, message: 'The source holds 2,000 rows; one execution moves at most 10.', endedAt: iso(2) });
    await watcher().pollOnce();
    const [warning, failed] = sender.posts.map((p) => p.text);
    expect(warning).toMatch(/AccSync finished with errors.*Upserts \| 290.*Errors \| 5/);
    expect(warning).toContain('rec-1');
    expect(warning).toContain('at most 160');
    expect(warning).toContain('2 more');
    expect(warning).toContain('Show errors');
    expect(failed).toMatch(/AccSync failed.*one execution moves at most 10/);
  });

  test('after a restart, runs that finished meanwhile come as one digest and nothing repeats', async () => {
    di.addRun('AccSync', { id: 'r1', endedAt: iso(1) });
    await watcher().pollOnce();
    for (let i = 2; i <= 6; i++) di.addRun('AccSync', { id: `r${i}`, endedAt: iso(i), status: i === 4 ? 'failed' : 'succeeded' });
    now = new Date(T0 + 7 * 60_000);
    const restarted = watcher();
    expect(await restarted.pollOnce()).toMatchObject({ alerts: 1 });
    expect(sender.posts).toHaveLength(2);
    expect(sender.posts[1].text).toMatch(/5 runs of AccSync finished since my last alert.*4 succeeded, 0 finished with errors, 1 failed/);
    expect(cardProblems(sender.posts[1].card)).toEqual([]);
    await watcher().pollOnce();
    expect(sender.posts).toHaveLength(2);
  });

  test('a digest that names a run told meanwhile on its "Run now" card (by the instance that started it) is not sent; the next poll tells the others', async () => {
    const key = { projectName: 'AccSync', conversationId: '19:general' };
    for (let i = 1; i <= 4; i++) di.addRun('AccSync', { id: `r${i}`, endedAt: iso(i) });
    now = new Date(T0 + 5 * 60_000);
    const w = watcher();
    // The poll has decided on a digest of the four; while it reads the schedule for it, r4's card gets its result elsewhere.
    const client = di.client;
    const hooked = { ...client, getSchedule: async (p: string) => { await watches.markReported(key, ['r4']); return client.getSchedule(p); } };
    const lead = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => hooked }, options);
    await lead.pollOnce();
    await w.pollOnce();
    expect(sender.posts.map((p) => p.text.match(/^\S+ (AccSync succeeded|\d runs of AccSync)/)?.[1])).toEqual(['AccSync succeeded', 'AccSync succeeded', 'AccSync succeeded']);
  });

  test('one run finished while the bot was down is reported alone, once', async () => {
    di.addRun('AccSync', { id: 'r1', endedAt: iso(1) });
    await watcher().pollOnce();
    di.addRun('AccSync', { id: 'r2', endedAt: iso(2) });
    await watcher().pollOnce();
    await watcher().pollOnce();
    expect(sender.posts.map((p) => p.text.includes('AccSync succeeded'))).toEqual([true, true]);
  });

  test('"failures" skips successes for good; "mute" posts nothing', async () => {
    const key = { projectName: 'AccSync', conversationId: '19:general' };
    await watches.setNotifyLevel(key, 'failures');
    di.addRun('AccSync', { id: 'ok', endedAt: iso(1) });
    di.addRun('AccSync', { id: 'warn', status: 'warning', errorCount: 1, endedAt: iso(2) });
    const w = watcher();
    await w.pollOnce();
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringContaining('finished with errors')]);
    await watches.setNotifyLevel(key, 'all');
    await w.pollOnce();
    expect(sender.posts).toHaveLength(1);
    await watches.setNotifyLevel(key, 'mute');
    di.addRun('AccSync', { id: 'fail', status: 'failed', endedAt: iso(3) });
    await w.pollOnce();
    expect(sender.posts).toHaveLength(1);
  });

  test('a stalled schedule is reported once, and once more when it runs again', async () => {
    const w = watcher();
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0), endedAt: iso(0.2) });
    await w.pollOnce();
    now = new Date(T0 + 6 * 60_000);
    await w.pollOnce();
    expect(sender.posts).toHaveLength(1);
    now = new Date(T0 + 7.5 * 60_000); // 2 x 1 minute + 5 minutes grace have passed
    await w.pollOnce();
    await w.pollOnce();
    now = new Date(T0 + 30 * 60_000);
    await w.pollOnce();
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringContaining('succeeded'), expect.stringContaining('has stalled')]);
    expect(cardProblems(sender.posts[1].card)).toEqual([]);

    di.addRun('AccSync', { id: 'r2', startedAt: iso(30.5), submittedAt: iso(30.5), endedAt: iso(31) });
    now = new Date(T0 + 31 * 60_000);
    await w.pollOnce();
    await w.pollOnce();
    expect(sender.posts.slice(2).map((p) => p.text)).toEqual([expect.stringContaining('succeeded'), expect.stringContaining('runs again')]);
  });

  describe('a run longer than the stall limit (every 5 minutes: 2 x 5 + 5 minutes) is not a stalled schedule', () => {
    const every5 = () => di.schedules.set('AccSync', { projectName: 'AccSync', recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, paused: false });
    const pollEveryMinute = async (w: RunWatcher, from: number, to: number) => {
      for (let m = from; m <= to; m++) { now = new Date(T0 + m * 60_000); await w.pollOnce(); }
    };
    const said = () => sender.posts.map((p) => p.text.split(' | ')[0]);

    test('the service skips the runs due meanwhile: nothing is said while the 20-minute run goes, then its alert', async () => {
      every5();
      const w = watcher();
      const long = di.addRun('AccSync', { id: 'long', status: 'running', submittedAt: iso(0), startedAt: iso(0), endedAt: undefined });
      await pollEveryMinute(w, 0, 20);
      expect(said()).toEqual([]);
      Object.assign(long, { status: 'succeeded', endedAt: iso(20.5) });
      await pollEveryMinute(w, 21, 25); // the next run is due at 25
      di.addRun('AccSync', { id: 'next', submittedAt: iso(25), startedAt: iso(25), endedAt: iso(25.5) });
      await pollEveryMinute(w, 26, 27);
      expect(said()).toEqual(['✅ AccSync succeeded', '✅ AccSync succeeded']);
    });

    test('the service queues the next run behind it (as the sandbox does): nothing is said while one waits and then starts', async () => {
      every5();
      const w = watcher();
      const long = di.addRun('AccSync', { id: 'long', status: 'running', submittedAt: iso(0), startedAt: iso(0), endedAt: undefined });
      await pollEveryMinute(w, 0, 5);
      const queued = di.addRun('AccSync', { id: 'queued', status: 'queued', submittedAt: iso(5), startedAt: iso(5), endedAt: undefined });
      await pollEveryMinute(w, 6, 20);
      Object.assign(long, { status: 'succeeded', endedAt: iso(20.5) });
      Object.assign(queued, { status: 'running', startedAt: iso(20.5) });
      await pollEveryMinute(w, 21, 24);
      expect(said()).toEqual(['✅ AccSync succeeded']);
    });

    test('a run still in progress after 12 hours is told once, as a long run and not a stall; its end comes as usual', async () => {
      every5();
      const w = watcher();
      const stuck = di.addRun('AccSync', { id: 'stuck', status: 'running', submittedAt: iso(0), startedAt: iso(0), endedAt: undefined });
      await pollEveryMinute(w, 0, 2);
      await pollEveryMinute(w, 12 * 60 - 1, 12 * 60 - 1);
      expect(said()).toEqual([]);
      await pollEveryMinute(w, 12 * 60 + 1, 12 * 60 + 3);
      await pollEveryMinute(w, 20 * 60, 20 * 60);
      expect(said()).toEqual(['⏳ A run of AccSync has been in progress since {{DATE(2025-03-01T09:00:00Z, SHORT)}} {{TIME(2025-03-01T09:00:00Z)}}']);
      expect(sender.posts[0].text).not.toMatch(/has stalled|Run now/);
      expect(sender.posts[0].text).toContain('more than 12 hours');
      expect(cardProblems(sender.posts[0].card)).toEqual([]);
      Object.assign(stuck, { status: 'failed', endedAt: iso(20 * 60 + 0.5) });
      await pollEveryMinute(w, 20 * 60 + 1, 20 * 60 + 2);
      expect(said().slice(1)).toEqual(['❌ AccSync failed']);
      // The note does not hush a real stall after it: no run for 2 x 5 + 5 minutes since that run ended.
      await pollEveryMinute(w, 20 * 60 + 17, 20 * 60 + 17);
      expect(said().slice(2)).toEqual(['⏸️ The schedule of AccSync has stalled']);
    });

    test('a stall said before a run came is lifted once a run is going', async () => {
      every5();
      const w = watcher();
      di.addRun('AccSync', { id: 'r1', submittedAt: iso(0), startedAt: iso(0), endedAt: iso(0.5) });
      await pollEveryMinute(w, 1, 17); // watched as active from minute 1: stalled past minute 16
      expect(said()).toEqual(['✅ AccSync succeeded', '⏸️ The schedule of AccSync has stalled']);
      di.addRun('AccSync', { id: 'r2', status: 'running', submittedAt: iso(18), startedAt: iso(18), endedAt: undefined });
      await pollEveryMinute(w, 18, 40);
      expect(said().slice(2)).toEqual(['▶️ The schedule of AccSync runs again']);
    });
  });

  test('a paused schedule never counts as stalled', async () => {
    di.schedules.set('AccSync', { projectName: 'AccSync', recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: true });
    const w = watcher();
    await w.pollOnce();
    now = new Date(T0 + 60 * 60_000);
    await w.pollOnce();
    expect(sender.posts).toEqual([]);
  });

  test('without a token it says "sign-in needed" once, not at every poll, and again after a recovery', async () => {
    token = false;
    const w = watcher();
    await w.pollOnce();
    await w.pollOnce();
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/Sign-in needed to keep watching AccSync.*Ada Admin/)]);
    token = true;
    await w.pollOnce();
    di.failWith = new DataIntegrationError('expired', { service: 'integrator', code: 'unauthorized', status: 401 });
    await w.pollOnce();
    await w.pollOnce();
    expect(sender.posts).toHaveLength(2);
    expect(cardProblems(sender.posts[0].card)).toEqual([]);
  });

  test('an owner of many watches is asked to sign in once per conversation, naming how many projects wait, not once per project', async () => {
    const names = ['B1', 'B2', 'B3', 'B4'];
    for (const name of [...names, 'Elsewhere']) di.addProject(name);
    for (const name of names) await watches.watch({ projectName: name, conversationId: '19:general', owner: OWNER });
    await watches.watch({ projectName: 'Elsewhere', conversationId: '19:other', owner: OWNER });
    token = false;
    const w = watcher();
    for (let poll = 0; poll < 3; poll++) await w.pollOnce();
    const asked = () => sender.posts.filter((p) => p.text.includes('Sign-in needed'));
    expect(asked().map((p) => [p.target.conversationId, p.text.split(' | ')[0]]).sort()).toEqual([
      ['19:general', expect.stringMatching(/^Sign-in needed to keep watching (AccSync|B\d) and 4 more projects$/)],
      ['19:other', 'Sign-in needed to keep watching Elsewhere'],
    ]);
    // Back, then lapsed again: asked once more per conversation.
    token = true;
    await w.pollOnce();
    token = false;
    for (let poll = 0; poll < 2; poll++) await w.pollOnce();
    expect(asked()).toHaveLength(4);
  });

  test('a conversation that refused the bot is skipped from then on; other projects still get their alerts', async () => {
    await watches.watch({ projectName: 'Other', conversationId: '19:other', owner: OWNER });
    di.addProject('Other');
    di.addRun('AccSync', { id: 'a1', endedAt: iso(1) });
    di.addRun('Other', { id: 'o1', endedAt: iso(1) });
    sender.goneConversations.add('19:general');
    const w = watcher();
    await w.pollOnce();
    expect(sender.posts.map((p) => p.target.conversationId)).toEqual(['19:other']);
    expect((await watches.active()).map((x) => x.projectName)).toEqual(['Other']);
    di.addRun('AccSync', { id: 'a2', endedAt: iso(2) });
    await w.pollOnce();
    expect(sender.posts).toHaveLength(1);
    await watches.reviveConversation('19:general');
    sender.goneConversations.clear();
    await w.pollOnce(); // back in the conversation: what finished meanwhile is caught up on
    expect(sender.posts.slice(1).map((p) => p.target.conversationId)).toEqual(['19:general', '19:general']);
  });

  test('a service failure for one project is logged and retried; the poll goes on', async () => {
    di.addRun('AccSync', { id: 'a1', endedAt: iso(1) });
    di.failWith = new DataIntegrationError('down', { service: 'integrator', code: 'server_error', status: 503, retryable: true });
    const w = watcher();
    expect(await w.pollOnce()).toMatchObject({ failures: 1, alerts: 0 });
    di.failWith = undefined;
    expect(await w.pollOnce()).toMatchObject({ failures: 0, alerts: 1 });
  });

  test('the summary counts what a poll did: watches checked, alerts queued and delivered, one service call per project', async () => {
    await watches.watch({ projectName: 'Other', conversationId: '19:general', owner: OWNER });
    di.addProject('Other');
    di.addRun('AccSync', { id: 's1', startedAt: iso(0.2), endedAt: iso(0.5) });
    di.addRun('AccSync', { id: 's2', startedAt: iso(0.6), endedAt: iso(1) });
    di.addRun('Other', { id: 's3', startedAt: iso(0.2), endedAt: iso(1) });
    now = new Date(T0 + 90_000);
    const w = watcher();
    expect(await w.pollOnce()).toMatchObject({ watches: 2, queued: 3, alerts: 3, failures: 0 });
    expect(sender.posts).toHaveLength(3);
    di.calls.length = 0;
    expect(await w.pollOnce()).toMatchObject({ watches: 2, queued: 0, alerts: 0, failures: 0 });
    expect(di.calls.filter((c) => c === 'listExecutions')).toHaveLength(2);
    expect(di.calls.filter((c) => c === 'getSchedule')).toHaveLength(0); // read again only every tenth poll
  });

  test('a project watched in two conversations: a run that ends between their two looks of a poll is alerted in both at the next poll, not one at the sweep', async () => {
    await watches.watch({ projectName: 'AccSync', conversationId: '19:sales', owner: OWNER });
    di.schedules.set('AccSync', { projectName: 'AccSync', recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, paused: false, nextRunAt: iso(60) });
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0), submittedAt: iso(0), endedAt: iso(1) });
    // The first look of a poll does not see the 10:00 run yet (the service lists it late); the second look, in the same poll, sees it ended.
    let runsAfterOneLook = false;
    const client = {
      ...di.client,
      listExecutions: async (p: string) => {
        const listed = [...(di.executions.get(p) ?? [])];
        if (runsAfterOneLook) {
          runsAfterOneLook = false;
          di.addRun('AccSync', { id: 'r2', startedAt: iso(60), submittedAt: iso(60), endedAt: iso(61) });
        }
        return listed;
      },
    };
    const w = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => client }, { ...options, pollMs: 30_000, sweepEveryPolls: 1000 });
    now = new Date(T0 + 1.5 * 60_000);
    await w.pollOnce();
    expect(sender.posts.map((p) => p.target.conversationId).sort()).toEqual(['19:general', '19:sales']);
    runsAfterOneLook = true;
    now = new Date(T0 + 61 * 60_000);
    await w.poll(false, true);
    now = new Date(T0 + 61.5 * 60_000); // the next poll, 30 s later
    await w.poll(false, true);
    const r2 = sender.posts.slice(2).map((p) => p.target.conversationId).sort();
    expect(r2).toEqual(['19:general', '19:sales']);
  });

  test('a reported run is remembered for 46 days (the service keeps 45 days of runs), then forgotten: the record of reported runs stays bounded', async () => {
    const key = { projectName: 'AccSync', conversationId: '19:general' };
    const w = watcher();
    di.addRun('AccSync', { id: 'r1', startedAt: iso(0.5), endedAt: iso(1) });
    now = new Date(T0 + 90_000);
    await w.pollOnce();
    now = new Date(T0 + 45 * 86_400_000);
    await w.pollOnce();
    expect(sender.posts.filter((p) => p.text.includes('AccSync succeeded'))).toHaveLength(1);
    expect(await stores.watches.reported(key, ['r1'])).toEqual(new Set(['r1']));
    di.executions.set('AccSync', []); // the service has forgotten the run too
    now = new Date(T0 + 47 * 86_400_000);
    await w.pollOnce();
    expect(await stores.watches.reported(key, ['r1'])).toEqual(new Set());
  });

  test('start polls on its own and stop waits for the poll in progress', async () => {
    di.addRun('AccSync', { id: 'a1', endedAt: iso(1) });
    const w = watcher();
    w.start();
    for (let i = 0; i < 100 && sender.posts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect(sender.posts).toHaveLength(1);
  });

  test('a poll the store fails (storage down as the lease is lost) is logged, and stopping still succeeds: no unhandled rejection ends the process', async () => {
    const errors: unknown[] = [];
    const logger = { error: (o: unknown) => errors.push(o), warn: () => undefined } as never;
    let fail!: (err: Error) => void;
    const store = new WatchStore(stores.watches, () => now);
    store.active = () => new Promise((_, reject) => { fail = reject; });
    const w = new RunWatcher({ watches: store, sender, now: () => now, present: alertPresenter(), integrationFor: async () => di.client, logger }, options);
    w.start();
    const stopped = w.stop();
    fail(new Error('the state store did not answer within 3000 ms'));
    await expect(stopped).resolves.toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
  });
});
