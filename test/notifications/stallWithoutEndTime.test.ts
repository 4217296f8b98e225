import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import type { StateStores } from '../../src/storage/stateStores';
import { ThreadSender } from '../helpers/dataflowWatcher';
import { FakeIntegration } from '../helpers/fakeIntegration';
import { sqliteBackend } from '../helpers/stateBackends';

/**
 * The service may list a finished run without an end time (its history is not documented). The stall rule counts a
 * run's end as a sign of life; for such a run the end stands in as "when a look first saw it finished". A run no look
 * saw in progress (a run shorter than the poll, or one that ended while the lead restarted) must not count as ending
 * again at every look, or a schedule that stopped is never said to have stalled. And the "runs again" note says when
 * a run started: a run's end is a sign of life, not its start.
 */
const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const key = { projectName: 'AccSync', conversationId: '19:general' };

/** How a card shows a moment (Teams formats it for the reader). */
const shown = (minutes: number) => `{{DATE(${iso(minutes).replace('.000Z', 'Z')}, SHORT)}} {{TIME(${iso(minutes).replace('.000Z', 'Z')})}}`;

describe('a stalled schedule is said, and "runs again" only when a run came, with its start', () => {
  const backend = sqliteBackend();
  let stores: StateStores;
  let now: Date;
  let di: FakeIntegration;
  let sender: ThreadSender;
  /** The headline of each card posted. */
  const headlines = () => sender.posts.map((p) => p.text.split(' | ')[0]);
  let watches: WatchStore;
  const watcher = () => new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => di.client }, { pollMs: 30_000, minuteMs: 60_000, stallGraceMinutes: 5 });
  const pollEveryMinute = async (w: RunWatcher, from: number, to: number) => {
    for (let m = from; m <= to; m++) { now = new Date(T0 + m * 60_000); await w.pollOnce(); }
  };

  beforeEach(async () => {
    ({ stores } = await backend.open());
    now = new Date(T0);
    di = new FakeIntegration().addProject('AccSync', { kind: 'recurring', every: 5, unit: 'minutes' });
    sender = new ThreadSender();
    watches = new WatchStore(stores.watches, () => now);
    await watches.watch({ ...key, owner: OWNER });
  });
  afterEach(() => stores.close());

  const STALLED = ['✅ AccSync succeeded', '⏸️ The schedule of AccSync has stalled'];

  test('a short run no look saw in progress, then no run for 2 x 5 + 5 minutes: "has stalled" is said', async () => {
    // Started and finished between two looks; listed without an end time.
    di.addRun('AccSync', { id: 'r1', status: 'succeeded', submittedAt: iso(0.1), startedAt: iso(0.1), endedAt: undefined });
    const w = watcher();
    await pollEveryMinute(w, 1, 40);
    expect(headlines()).toEqual(STALLED);
  });

  /** A run seen in progress at minutes 1-2, then listed finished without an end time; no run after it: stalled by minute 20. */
  const stalledAfterARunSeenGoing = async () => {
    const r1 = di.addRun('AccSync', { id: 'r1', status: 'running', submittedAt: iso(0.1), startedAt: iso(0.1), endedAt: undefined });
    const w = watcher();
    await pollEveryMinute(w, 1, 2);
    r1.status = 'succeeded'; // still no end time
    await pollEveryMinute(w, 3, 20);
    expect(headlines()).toEqual(STALLED);
    return w;
  };

  test('a run seen in progress then finished, whose schedule stalled: no "runs again" a day later while no run came', async () => {
    const w = await stalledAfterARunSeenGoing();
    // Nothing runs; the service still lists r1. A day later the watcher forgets when it saw r1 end.
    await pollEveryMinute(w, 24 * 60 + 10, 24 * 60 + 12);
    expect(headlines()).toEqual(STALLED);
  });

  test('after the lead restarts, a stalled schedule is not said to run again while no run came', async () => {
    await stalledAfterARunSeenGoing();
    const restarted = watcher(); // a deployment, or another instance takes the lead
    await pollEveryMinute(restarted, 30, 32);
    expect(headlines()).toEqual(STALLED);
  });

  test.each([
    ['en-US', 'The schedule of AccSync runs again', `A run started ${shown(30.2)}.`],
    ['de-DE', 'Der Zeitplan von AccSync läuft wieder', `Ein Lauf hat ${shown(30.2)} begonnen.`],
  ])('the "runs again" note says when the run started, not when it ended (%s)', async (locale, headline, started) => {
    await watches.watch({ ...key, owner: OWNER, speaks: { locale } });
    di.addRun('AccSync', { id: 'r1', submittedAt: iso(0), startedAt: iso(0), endedAt: iso(0.5) });
    const w = watcher();
    await pollEveryMinute(w, 1, 30);
    expect(headlines()).toHaveLength(2); // the run, then the stall
    // A 40-second run between two looks: started at 30.2, ended at 30.9.
    di.addRun('AccSync', { id: 'r2', submittedAt: iso(30.2), startedAt: iso(30.2), endedAt: iso(30.9) });
    await pollEveryMinute(w, 31, 31);
    const recovered = sender.posts.map((p) => p.text).find((t) => t.includes(headline));
    expect(recovered).toContain(started);
  });
});
