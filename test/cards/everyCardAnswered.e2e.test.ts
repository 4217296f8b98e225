import fs from 'node:fs';
import path from 'node:path';
import { BOB, CHANNEL, execute, message, type Person } from '../helpers/activities';
import type { Rig } from '../helpers/approvalsRig';
import { type ConnectorRig, startConnectorRig } from '../helpers/connectorRig';
import { cardsSince, clickables, clickEach, DEAD_END } from '../helpers/cardClicks';
import { cardText } from '../helpers/cardWalk';
import { createSandboxProject } from '../helpers/sandboxProject';
import { clickActivity } from '../helpers/setupWalk';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';
import type { LocalConnector } from '../../dev/playground/localConnector';
import { DATAFLOW_ENVIRONMENT, SANDBOX_DATAFLOWS, type Sandbox } from '../../dev/sandbox';
import type { CardTemplateName } from '../../src/render/cardRenderer';
import { scheduleStalledCard } from '../../src/render/runCards';
import { VERBS } from '../../src/verbs';

/**
 * Issue 32, item 1: answered means frozen, everywhere. Each walk takes card kinds through their last action
 * over the real bot; then every Action.Submit and Action.Execute left on the cards the walk produced (as the
 * conversation shows them now) is clicked, and none may be answered only with "that has finished" or "already".
 */
const COVERED: Record<CardTemplateName, string> = {
  welcome: 'help, then its buttons',
  setupPrerequisites: 'setup: Run now', setupConnectionSet: 'setup: Run now', setupProject: 'setup: Run now',
  setupReview: 'setup: Run now', setupRunOrSchedule: 'setup: Run now, Request schedule, Done for now', setupAnswered: 'setup: Run now',
  serviceProblem: 'setup: the service fails on Create, then Cancel',
  runResult: 'setup: Run now',
  approvalRequest: 'a schedule approved, and one rejected', approvalDecided: 'a schedule approved, and one rejected',
  approvalHistory: 'a schedule approved, and one rejected',
  projectList: 'status, then Pause',
  runAlert: 'a run alert, then Show errors', runDigest: 'four runs at once, then Show errors',
  signInNeeded: 'a sign-in that no longer works',
  scheduleStalled: 'a stalled schedule',
  dataflowPick: 'dataflows: watched, alerted, stopped', dataflowAlert: 'dataflows: watched, alerted, stopped',
  projectUnreadable: 'no button that reaches the bot (a link to the admin center only)',
};

/** Templates whose only buttons are links (or none): nothing on them can be left that no longer acts. */
const WITHOUT_CLICKS: CardTemplateName[] = ['projectUnreadable', 'approvalHistory', 'setupAnswered'];

let n = 0;
/** A person of their own for each walk, so that no walk's setup or lock is another's. */
const someone = (): Person => ({ id: `29:walker-${++n}`, name: `Walker ${n}`, aadObjectId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}` });
const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
  for (const end = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('every card template is covered by a walk', () => {
  const templates = fs.readdirSync(path.join(__dirname, '../../cards')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  expect(Object.keys(COVERED).sort()).toEqual(templates);
  for (const name of WITHOUT_CLICKS) expect(clickables(JSON.parse(fs.readFileSync(path.join(__dirname, `../../cards/${name}.json`), 'utf8')))).toEqual([]);
});

describe.each([sqliteBackend(), azureBackend()])('every card after its last action, on $name', (backend: StateBackend) => {
  let sandbox: Sandbox, connector: LocalConnector, serviceUrl: string, rig: Rig, world: ConnectorRig;

  beforeAll(async () => {
    ({ sandbox, connector, serviceUrl, rig } = world = await startConnectorRig(backend, {
      sandbox: { seed: { accounts: 20 }, dataflowEverySeconds: 3600 }, halted: true, members: [BOB],
      env: { SCHEDULE_APPROVERS: BOB.aadObjectId, RUN_POLL_SECONDS: '3600' },
    }));
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await backend.stop();
  });

  const post = async (activity: object) => {
    const res = await rig.post(activity);
    expect(res.status).toBe(200);
    return res;
  };
  /** The newest message posted since call `since` whose card reads like `pattern` (late updates from earlier walks are not it). */
  const posted = (since: number, pattern: RegExp) => {
    const call = connector.calls.slice(since).filter((c) => c.kind !== 'update' && pattern.test(cardText(c.activity.attachments?.[0]?.content))).at(-1);
    if (!call) throw new Error(`no card like ${pattern} since call ${since}`);
    return call;
  };
  afterEach(() => sandbox.faults.clear());
  const click = (card: unknown, title: string, who: Person, changes: Record<string, string> = {}) => post(clickActivity(serviceUrl, card, title, changes, who));
  const invokeCard = (res: { body: unknown }) => (res.body as { value: unknown }).value;

  /** Every button left on the cards posted since call `since` (and on `extra` cards a person sees in their place) acts. */
  const expectAllAct = async (since: number, who: Person, extra: Array<{ activityId: string; card: unknown }> = []) => {
    const cards = [...cardsSince(connector, since), ...extra];
    expect(cards.length).toBeGreaterThan(0);
    const dead = [];
    for (const at of cards) {
      for (const a of await clickEach(post, connector, serviceUrl, at, who, () => rig.feature.idle())) {
        if (DEAD_END.test(a.said)) dead.push(`${a.title} on "${cardText(at.card).slice(0, 80)}": ${a.said.slice(0, 200)}`);
      }
    }
    expect(dead).toEqual([]);
  };

  /** The newest live setup card of this walk (run cards updated meanwhile by earlier walks are not it). */
  const liveStep = (since: number) => {
    const live = cardsSince(connector, since).filter((c) => /^Step \d of 5/.test(cardText(c.card)) && clickables(c.card).length > 0);
    expect(live).toHaveLength(1);
    return live[0]!.card;
  };

  async function toReview(who: Person, project: string, since: number) {
    await post(message(serviceUrl, 'set up account sync', 'channel', who));
    for (const [title, changes] of [['Continue', {}], ['Next', {}], ['Next', { name: project, consent: 'true' }]] as const) await click(liveStep(since), title, who, changes);
    const review = liveStep(since);
    expect(cardText(review)).toContain('Step 4 of 5');
    return review;
  }

  async function toStepFive(who: Person, project: string, since: number) {
    await click(await toReview(who, project, since), 'Create', who);
    const stepFive = liveStep(since);
    expect(cardText(stepFive)).toContain('Step 5 of 5');
    return stepFive;
  }

  test.each([
    ['Run now', {}, /Run of .* started: its card is below/],
    ['Request schedule', { every: '2', unit: 'hours' }, /Schedule requested, every 2 hours: the approval card is below/],
    ['Done for now', {}, /Setup closed: project .* is kept\. To run it/],
  ])('setup: after "%s" every setup card is frozen, and what is left acts', async (last, changes, frozen) => {
    const who = someone();
    const since = connector.calls.length;
    const stepFive = await toStepFive(who, `Walk ${who.name}`, since);
    await click(stepFive, last, who, changes);
    await rig.feature.idle();
    if (last === 'Run now') await connector.waitFor((c) => c.kind === 'update' && /Run again/.test(cardText(c.activity.attachments?.[0]?.content)), 30_000);
    const shown = cardsSince(connector, since).map((c) => cardText(c.card));
    expect(shown.filter((t) => t.startsWith('Step 5 of 5'))).toEqual([expect.stringMatching(frozen)]);
    expect(shown.filter((t) => /^Step \d of 5/.test(t)).length).toBeGreaterThanOrEqual(5);
    await expectAllAct(since, who);
  }, 120_000);

  test('setup: Cancel on the service-problem card freezes it', async () => {
    const who = someone();
    const since = connector.calls.length;
    const review = await toReview(who, `Walk ${who.name}`, since);
    sandbox.faults.inject({ route: 'createProject', status: 503 });
    await click(review, 'Create', who);
    sandbox.faults.clear();
    const problem = cardsSince(connector, since).map((c) => c.card).find((c) => clickables(c).some((b) => b.title === 'Try again'));
    expect(problem).toBeDefined();
    await click(problem, 'Cancel', who);
    await expectAllAct(since, who);
  }, 120_000);

  test('approvals: an approved request and a rejected one leave no Approve or Reject; the history has no buttons', async () => {
    const who = someone();
    for (const [project, verb] of [['Walk approved', VERBS.approveSchedule], ['Walk rejected', VERBS.rejectSchedule]] as const) {
      await createSandboxProject(rig.di, project);
      const since = connector.calls.length;
      await post(message(serviceUrl, `schedule ${project} every 1 hour`, 'channel', who));
      const request = connector.messages(CHANNEL).slice(since).find((c) => cardText(c.activity.attachments?.[0]?.content).includes('Schedule approval needed'))!;
      const requestId = (request.activity.attachments![0]!.content as { refresh: { action: { data: { requestId: string } } } }).refresh.action.data.requestId;
      const decided = await post(execute(serviceUrl, BOB, verb, { requestId }, request.activityId));
      await rig.feature.idle();
      await post(message(serviceUrl, `history ${project}`, 'channel', who));
      expect(cardText(invokeCard(decided))).toMatch(/approved|rejected/i);
      await expectAllAct(since, who, [{ activityId: request.activityId, card: invokeCard(decided) }]);
    }
  }, 120_000);

  test('status: after Pause the list (as the clicker and as everyone sees it) acts', async () => {
    const who = someone();
    await createSandboxProject(rig.di, 'Walk status');
    await rig.di.setSchedule('Walk status', { kind: 'recurring', every: 1, unit: 'hours' });
    const since = connector.calls.length;
    await post(message(serviceUrl, 'status', 'channel', who));
    const list = posted(since, /^Data Integration projects/);
    const paused = await post(execute(serviceUrl, who, VERBS.pauseSchedule, { projectName: 'Walk status', view: 'status' }, list.activityId));
    expect(cardText(invokeCard(paused))).toMatch(/Walk status.*paused/);
    await expectAllAct(since, who, [{ activityId: list.activityId, card: invokeCard(paused) }]);
  }, 120_000);

  test('run alerts: one run, then four at once, each after Show errors; a lapsed sign-in; a stalled schedule', async () => {
    const who = someone();
    const project = 'Walk alerts';
    await createSandboxProject(rig.di, project);
    await rig.feature.watchProject({ projectName: project, conversationId: CHANNEL, owner: { aadObjectId: who.aadObjectId, name: who.name, userId: who.id } });
    const finishedRuns = async () => (await rig.di.listExecutions(project)).filter((e) => e.status !== 'queued' && e.status !== 'running').length;
    for (const runs of [1, 4]) {
      const since = connector.calls.length;
      const before = await finishedRuns();
      for (let i = 0; i < runs; i++) await rig.di.runProject(project);
      // Every run ended, this walk's and any a "Run again" click started (the service runs a project's runs one after another).
      await until('the runs to end', async () => (await finishedRuns()) >= before + runs && (await rig.di.listExecutions(project)).every((e) => e.status !== 'queued' && e.status !== 'running'));
      await rig.feature.watcher.pollOnce();
      const alert = posted(since, runs === 1 ? /^\S+ Walk alerts (succeeded|finished with errors|failed)/ : /4 runs of Walk alerts finished/);
      const executionId = runs === 1 ? (await rig.di.listExecutions(project))[0]!.id : undefined;
      const shown = executionId && await post(execute(serviceUrl, who, VERBS.showRunErrors, { projectName: project, executionId }, alert.activityId));
      await expectAllAct(since, who, shown ? [{ activityId: alert.activityId, card: invokeCard(shown) }] : []);
    }

    const since = connector.calls.length;
    sandbox.faults.inject({ route: 'listExecutions', status: 401 });
    await rig.di.runProject(project).catch(() => undefined);
    await rig.feature.watcher.pollOnce();
    sandbox.faults.clear();
    expect(cardsSince(connector, since).map((c) => cardText(c.card))).toContainEqual(expect.stringMatching(/^Sign-in needed to keep watching Walk alerts/));
    await expectAllAct(since, who);

    // A stalled schedule takes hours of the service's clock: its card is rendered as the watcher would post it, and clicked on the real bot.
    const stalled = scheduleStalledCard({ projectName: project, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, lastRunAt: new Date().toISOString(), recovered: false });
    const later = connector.calls.length;
    await expectAllAct(later, who, [{ activityId: 'stalled-card', card: stalled }]);
  }, 180_000);

  test('dataflows: after Watch and after Stop, the pick card and the alert act or are frozen', async () => {
    const who = someone();
    const [accounts] = SANDBOX_DATAFLOWS;
    const since = connector.calls.length;
    await post(message(serviceUrl, 'watch dataflows', 'channel', who));
    const pick = posted(since, /environment|dataflows/i);
    const watched = await post(execute(serviceUrl, who, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: accounts!.id, level: 'all' }, pick.activityId));
    sandbox.dataflows.refreshNow();
    await rig.feature.watcher.pollOnce();
    sandbox.dataflows.refreshNow();
    await rig.feature.watcher.pollOnce();
    const alerts = connector.calls.slice(since).filter((c) => c.kind !== 'update' && cardText(c.activity.attachments?.[0]?.content).includes(`${accounts!.name} refreshed`));
    expect(alerts).toHaveLength(2);
    const [older, alert] = alerts as [typeof alerts[0], typeof alerts[0]];
    const stopped = await post(execute(serviceUrl, who, VERBS.dataflowStop, { dataflowId: accounts!.id }, alert.activityId));
    expect(clickables(invokeCard(stopped))).toEqual([]);
    // The thread's older alert is frozen too, without a click on it (Stop updated every alert the watch kept).
    await rig.feature.idle();
    const olderNow = connector.calls.filter((c) => c.activityId === older.activityId).at(-1)!;
    expect(olderNow.kind).toBe('update');
    expect(clickables(olderNow.activity.attachments?.[0]?.content)).toEqual([]);
    await expectAllAct(since, who, [{ activityId: pick.activityId, card: invokeCard(watched) }]);
  }, 120_000);

  test('welcome: every button acts', async () => {
    const who = someone();
    const since = connector.calls.length;
    await post(message(serviceUrl, 'help', 'channel', who));
    posted(since, /What you can ask me/);
    await expectAllAct(since, who);
  }, 120_000);
});
