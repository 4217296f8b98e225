import fs from 'node:fs';
import path from 'node:path';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import type { StateStores } from '../../src/storage/stateStores';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { createSandboxProject } from '../helpers/sandboxProject';
import { sqliteBackend } from '../helpers/stateBackends';
import { Harness, startHarness } from '../integration/harness';

/**
 * The Data Integrator's run history is not documented: a finished run may come without `lastExecutionStatusChangeOn`,
 * its only end time. Driven through the real client against the sandbox, whose run history answers the recorded
 * execution (test/recordings) as it is, or without that field.
 */
const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2026-12-04T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
/** How a card shows a moment (Teams formats it for the reader). */
const shown = (minutes: number) => `{{DATE(${iso(minutes).replace('.000Z', 'Z')}, SHORT)}} {{TIME(${iso(minutes).replace('.000Z', 'Z')})}}`;

type WireRun = Record<string, unknown>;
const RECORDED = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'recordings', 'listExecutions-200.json'), 'utf8')) as {
  response: { projectExecutionResponses: WireRun[] };
}).response.projectExecutionResponses[0];

/** The recorded run (1987 upserts, 13 errors, WARNING) as project AccSync's, submitted and started at `startedAt` minutes. */
function recordedRun(status: 'EXPORTING' | 'WARNING', startedAt: number, endedAt?: number): WireRun {
  const { lastExecutionStatusChangeOn: _end, ...run } = RECORDED;
  return {
    ...run, id: 'run-1', projectName: 'AccSync', displayName: 'AccSync', submittedOn: iso(startedAt), startedOn: iso(startedAt), executionStatus: status,
    ...(endedAt === undefined ? {} : { lastExecutionStatusChangeOn: iso(endedAt) }),
  };
}

class Sender {
  posts: Array<{ target: SendTarget; text: string; card: unknown }> = [];
  updates: Array<{ activityId: string; text: string; card: unknown }> = [];
  /** Teams does not take messages (an outage): the alert waits for a later poll. */
  down = false;
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    if (this.down) return { status: 'failed', reason: '503 Service Unavailable', unavailable: true };
    const card = activity.attachments?.[0]?.content;
    this.posts.push({ target, text: cardText(card), card });
    return { status: 'sent', activityId: `m${this.posts.length}`, threadId: `m${this.posts.length}` };
  }
  async update(_conversationId: string, activityId: string, activity: OutboundActivity): Promise<DeliveryResult> {
    const card = activity.attachments?.[0]?.content;
    this.updates.push({ activityId, text: cardText(card), card });
    return { status: 'sent', activityId };
  }
}

describe('a finished run whose history gives no end time', () => {
  const backend = sqliteBackend();
  let h: Harness;
  let stores: StateStores;
  let now: Date;
  let sender: Sender;
  let watches: WatchStore;
  const key = { projectName: 'AccSync', conversationId: '19:general' };

  beforeAll(async () => {
    h = await startHarness();
    await createSandboxProject(h.client, 'AccSync');
  }, 60_000);
  afterAll(() => h.close());
  beforeEach(async () => {
    ({ stores } = await backend.open());
    now = new Date(T0);
    sender = new Sender();
    watches = new WatchStore(stores.watches, () => now);
  });
  afterEach(() => { h.sandbox.faults.clear(); return stores.close(); });

  /** The run history answers these runs from now on (the sandbox's own runs of the project are never listed). */
  const history = (...runs: WireRun[]) => {
    h.sandbox.faults.clear();
    h.sandbox.faults.inject({ route: 'listExecutions', body: { projectName: 'AccSync', projectExecutionResponses: runs } });
  };
  const watcher = () => new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => h.client }, { pollMs: 30_000, pendingPollMs: 60_000 });
  const pollAt = async (w: RunWatcher, minutes: number) => { now = new Date(T0 + minutes * 60_000); await w.pollOnce(); };
  /** A watch that begins at minute 2, over a history that lists `run` (started at minute 1). */
  const watchedFromMinute2 = async (run: WireRun) => {
    history(run);
    now = new Date(T0 + 2 * 60_000);
    await watches.watch({ ...key, owner: OWNER });
    return watcher();
  };
  /** The run started at minute 1 is seen going at minute 2, then finished without an end time at 3.5. */
  const seenGoingThenEnded = async (w: RunWatcher) => {
    history(recordedRun('EXPORTING', 1));
    await pollAt(w, 2);
    history(recordedRun('WARNING', 1));
    await pollAt(w, 3.5);
  };

  test('the control: with an end time, the alert says when it finished, with its counts and duration', async () => {
    await watches.watch({ ...key, owner: OWNER });
    const w = watcher();
    history(recordedRun('WARNING', 1, 2.5));
    await pollAt(w, 3);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync finished with errors.*Upserts \| 1987.*Errors \| 13.*Duration \| 1 min 30 s/)]);
    expect(sender.posts[0].text).toContain(`Finished ${shown(2.5)}.`);
  });

  test('the thread is told once, with the counts, and "finished by" when the watcher first saw it ended (not its start)', async () => {
    await watches.watch({ ...key, owner: OWNER });
    const w = watcher();
    await seenGoingThenEnded(w);
    await pollAt(w, 4);
    await pollAt(w, 30);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync finished with errors.*Upserts \| 1987.*Errors \| 13/)]);
    const [alert] = sender.posts;
    expect(alert.text).toContain(`Finished by ${shown(3.5)}.`);
    expect(alert.text).not.toContain(shown(1));
    expect(alert.text).not.toContain('Duration');
    expect(cardProblems(alert.card)).toEqual([]);
  });

  test('in German too', async () => {
    await watches.watch({ ...key, owner: OWNER, speaks: { locale: 'de-DE' } });
    const w = watcher();
    await seenGoingThenEnded(w);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync: mit Fehlern beendet.*Upserts \| 1987.*Fehler \| 13/)]);
    expect(sender.posts[0].text).toContain(`Spätestens ${shown(3.5)} beendet.`);
  });

  test('a run already going when the watch began is still told once it ended', async () => {
    const w = await watchedFromMinute2(recordedRun('EXPORTING', 1));
    await pollAt(w, 2.5);
    history(recordedRun('WARNING', 1));
    await pollAt(w, 5);
    await pollAt(w, 6);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync finished with errors.*Upserts \| 1987.*Errors \| 13/)]);
    expect(sender.posts[0].text).toContain(`Finished by ${shown(5)}.`);
  });

  test('a run already going when the watch began is still told once it ended, when the lead restarted while it went', async () => {
    const w = await watchedFromMinute2(recordedRun('EXPORTING', 1));
    await pollAt(w, 2.5); // seen in progress
    const restarted = watcher(); // a deployment, or another instance takes the lead
    history(recordedRun('WARNING', 1));
    await pollAt(restarted, 5);
    await pollAt(restarted, 6);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync finished with errors.*Upserts \| 1987.*Errors \| 13/)]);
  });

  test('the watch keeps a run going when it began only until that run is told (a stored row stays small)', async () => {
    const w = await watchedFromMinute2(recordedRun('EXPORTING', 1));
    await pollAt(w, 2.5);
    expect((await watches.get(key))?.goingWhenWatched).toEqual(['run-1']);
    history(recordedRun('WARNING', 1));
    await pollAt(w, 5);
    await pollAt(w, 6);
    expect(sender.posts).toHaveLength(1);
    expect((await watches.get(key))?.goingWhenWatched).toBeUndefined();
  });

  test('an alert that could not go out at once still says "finished by" when the watcher first saw the run ended', async () => {
    await watches.watch({ ...key, owner: OWNER });
    const w = watcher();
    history(recordedRun('WARNING', 1)); // a short run: no look saw it in progress
    sender.down = true;
    await pollAt(w, 3);
    sender.down = false;
    await pollAt(w, 10);
    expect(sender.posts.map((p) => p.text)).toEqual([expect.stringMatching(/AccSync finished with errors/)]);
    expect(sender.posts[0].text).toContain(`Finished by ${shown(3)}.`);
  });

  test('a run that had ended before the watch began (no end time, started before) is old news: not told', async () => {
    const w = await watchedFromMinute2(recordedRun('WARNING', 1));
    await pollAt(w, 3);
    await pollAt(w, 4);
    expect(sender.posts).toEqual([]);
  });

  test('a "Run now" card shows the result with its counts and when it was seen finished, in the clicker\'s words', async () => {
    await watches.watch({ ...key, owner: OWNER });
    await watches.addPendingRun(key, { executionId: 'run-1', activityId: 'run-card-1', startedAt: iso(1), speaks: { locale: 'de-DE' } });
    const w = watcher();
    await seenGoingThenEnded(w);
    await pollAt(w, 4);
    expect(sender.posts).toEqual([]);
    expect(sender.updates.map((u) => u.text)).toEqual([expect.stringMatching(/AccSync: mit Fehlern beendet.*Upserts \| 1987.*Fehler \| 13/)]);
    expect(sender.updates[0].text).toContain(`Beendet | spätestens ${shown(3.5)}`);
    expect(sender.updates[0].text).toContain('Erneut ausführen');
    expect(cardProblems(sender.updates[0].card)).toEqual([]);
  });
});
