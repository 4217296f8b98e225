import { ADA, BOB, CHANNEL, execute, message, Person, submit } from '../helpers/activities';
import { Rig, startRig } from '../helpers/approvalsRig';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { tempDataDir } from '../helpers/harness';
import { createSandboxProject } from '../helpers/sandboxProject';
import { ConnectorCall, LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { Sandbox, SANDBOX_ENVIRONMENTS, startSandbox } from '../../dev/sandbox';
import { VERBS } from '../../src/verbs';
import type { Execution } from '../../src/integration/port';

const EVE: Person = { id: '29:eve', name: 'Eve Elsewhere', aadObjectId: '00000000-0000-0000-0000-00000000e0e0' };
const MINUTE_MS = 1500;

const invoke = execute;
const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;
const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const finished = (runs: Execution[]) => runs.filter((e) => e.status !== 'queued' && e.status !== 'running');

describe('schedule approvals and run alerts over HTTP, with the local connector and the sandbox', () => {
  let dataDir: string;
  let sandbox: Sandbox;
  let connector: LocalConnector;
  let serviceUrl: string;
  let closeConnector: () => Promise<void>;
  let rig: Rig;
  let shift = 0;
  const env = { SCHEDULE_APPROVERS: `${BOB.aadObjectId},${ADA.aadObjectId}` };
  const start = () => startRig({ dataDir, sandbox, env, minuteMs: MINUTE_MS, now: () => new Date(Date.now() + shift), expirySweepMs: 100 });

  beforeEach(async () => {
    dataDir = tempDataDir();
    shift = 0;
    sandbox = await startSandbox({ port: 0, dataDir, minuteMs: MINUTE_MS, seed: { accounts: 300 } });
    ({ connector, serviceUrl, close: closeConnector } = await startLocalConnector());
    connector.addMembers({ id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId }, { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId });
    rig = await start();
    await createSandboxProject(rig.di, 'AccSync');
  });
  afterEach(async () => {
    await rig.close();
    await closeConnector();
    await sandbox.close();
  });

  /** Ada asks in the channel; returns the request id and the card's message id. */
  const askForSchedule = async () => {
    expect((await rig.post(message(serviceUrl, 'schedule AccSync every 1 minute', 'channel', ADA))).status).toBe(200);
    const call = connector.messages(CHANNEL).find((c) => cardText(cardOf(c)).includes('Schedule approval needed'))!;
    const card = cardOf(call) as { refresh: { action: { data: { requestId: string } }; userIds: string[] } };
    return { call, card, requestId: card.refresh.action.data.requestId, cardId: call.activityId };
  };

  test('a request is posted; a non-approver and the requester are refused; an approval updates the card for everyone and sets the schedule', async () => {
    const { call, card, requestId, cardId } = await askForSchedule();
    expect(call.kind).toBe('reply');
    expect(cardProblems(card)).toEqual([]);
    expect(card.refresh.userIds).toEqual([BOB.id]); // Ada may not approve her own request
    expect(cardText(card)).toMatch(/Ada Admin.*AccSync.*every minute/);

    const bobView = await rig.post(invoke(serviceUrl, BOB, VERBS.refreshApproval, { requestId }, cardId));
    expect((bobView.body as { value: { actions: Array<{ title: string }> } }).value.actions.map((a) => a.title)).toEqual(['Approve', 'Reject']);
    const eveView = await rig.post(invoke(serviceUrl, EVE, VERBS.refreshApproval, { requestId }, cardId));
    // Issue 12: nobody but the listed approvers gets a button (they get theirs by refresh); the card names whom it waits for.
    expect((eveView.body as { value: { actions?: unknown[] } }).value.actions ?? []).toEqual([]);
    const adaView = await rig.post(invoke(serviceUrl, ADA, VERBS.refreshApproval, { requestId }, cardId));
    expect((adaView.body as { value: { actions?: unknown[] } }).value.actions ?? []).toEqual([]);
    expect(cardText((adaView.body as { value: unknown }).value)).toContain('Waiting for Bob Approver to approve or reject.');
    expect(cardText((adaView.body as { value: unknown }).value)).not.toMatch(/SCHEDULE_APPROVERS|another approver has to/);
    expect(cardText(card)).toContain('Waiting for Bob Approver to approve or reject.');
    expect((card as { actions?: unknown[] }).actions ?? []).toEqual([]);

    const eve = await rig.post(invoke(serviceUrl, EVE, VERBS.approveSchedule, { requestId }, cardId));
    expect(eve.status).toBe(200);
    expect(cardText((eve.body as { value: unknown }).value)).toContain('Only the schedule approvers can approve or reject');
    const ada = await rig.post(invoke(serviceUrl, ADA, VERBS.approveSchedule, { requestId }, cardId));
    expect(cardText((ada.body as { value: unknown }).value)).toContain('another approver has to approve it');
    await rig.feature.idle();
    expect(connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
    expect((await rig.di.getSchedule('AccSync')).recurrence).toEqual({ kind: 'manual' });

    const started = Date.now();
    const [first, second] = await Promise.all([
      rig.post(invoke(serviceUrl, BOB, VERBS.approveSchedule, { requestId, comment: 'ok for prod' }, cardId)),
      rig.post(invoke(serviceUrl, BOB, VERBS.approveSchedule, { requestId }, cardId)),
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    const answers = [first, second].map((r) => cardText((r.body as { value: unknown }).value));
    expect(answers.filter((t) => t.includes('your click changed nothing'))).toHaveLength(1);
    await rig.feature.idle();

    expect((await rig.di.getSchedule('AccSync')).recurrence).toEqual({ kind: 'recurring', every: 1, unit: 'minutes' });
    const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === cardId);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    const final = cardOf(updates[updates.length - 1]);
    expect(cardProblems(final)).toEqual([]);
    expect(cardText(final)).toMatch(/Schedule approved.*Bob Approver.*ok for prod.*Scheduled\. First run/);
    const toAda = connector.messages(CHANNEL).map((c) => c.activity.text ?? '').filter((t) => t.startsWith('<at>Ada Admin</at>'));
    expect(toAda).toEqual([expect.stringMatching(/Bob Approver approved the schedule of "AccSync" \(every minute\): "ok for prod" It is scheduled\. Next run \d+ \w+ \d{4}, \d\d:\d\d UTC\./)]);

    await rig.post(message(serviceUrl, 'history AccSync', 'channel', ADA));
    const history = cardText(cardOf(connector.messages(CHANNEL).at(-1)!));
    expect(history.match(/approved/g)).toHaveLength(1);
    expect(history).toMatch(/saved the schedule.*Bob Approver\*\* approved — “ok for prod”.*Ada Admin\*\* asked for a schedule: every minute/);
  });

  test('a rejection through the Action.Submit fallback updates the card and tells the requester', async () => {
    const { requestId, cardId } = await askForSchedule();
    await rig.post({ ...submit(serviceUrl, { verb: VERBS.rejectSchedule, requestId, comment: 'quarter close' }, 'channel', BOB), replyToId: cardId });
    await rig.feature.idle();
    const texts = connector.messages(CHANNEL).map((c) => c.activity.text ?? '');
    expect(texts).toContain('You rejected the schedule of "AccSync".');
    expect(texts.some((t) => /<at>Ada Admin<\/at>, Bob Approver rejected the schedule of "AccSync": "quarter close"/.test(t))).toBe(true);
    expect(cardText(cardOf(connector.calls.find((c) => c.kind === 'update' && c.activityId === cardId)!))).toContain('Schedule rejected');
    expect((await rig.di.getSchedule('AccSync')).recurrence).toEqual({ kind: 'manual' });
  });

  test('the approvers are reminded once at half the time to live; on expiry the requester is told and can ask again in one click (item 14)', async () => {
    const { cardId } = await askForSchedule();
    const reminders = () => connector.messages(CHANNEL).filter((c) => /reminder/.test(c.activity.text ?? ''));
    shift = 37 * 3_600_000;
    await until('the reminder', () => reminders().length > 0);
    await new Promise((r) => setTimeout(r, 400)); // several sweeps
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0].activity).toMatchObject({ replyToId: cardId, entities: [{ type: 'mention', mentioned: { id: BOB.id } }] });
    expect(reminders()[0].activity.text).toMatch(/<at>Bob Approver<\/at>: reminder, Ada Admin asked to run "AccSync" every minute.*expires/);

    shift = 73 * 3_600_000;
    const toAda = () => connector.messages(CHANNEL).filter((c) => /^<at>Ada Admin<\/at>, nobody decided/.test(c.activity.text ?? ''));
    await until('the expiry notice', () => toAda().length > 0);
    await rig.feature.idle();
    const expired = cardOf(connector.calls.filter((c) => c.kind === 'update' && c.activityId === cardId).at(-1)!);
    expect(cardText(expired)).toContain('Schedule request expired');
    expect((expired as { actions: unknown[] }).actions).toEqual([{ type: 'Action.Submit', title: 'Ask again', data: { verb: 'command', command: 'schedule AccSync every minute' } }]);
    expect(cardProblems(expired)).toEqual([]);
    shift = 0;
    await rig.post(submit(serviceUrl, { verb: 'command', command: 'schedule AccSync every minute' }, 'channel', ADA));
    expect(connector.messages(CHANNEL).filter((c) => cardText(cardOf(c)).includes('Schedule approval needed'))).toHaveLength(2);
  });

  test('once approved, run alerts go to the thread where the schedule was asked for and approved (item 16)', async () => {
    const thread = `${CHANNEL};messageid=1700000000777`;
    const inThread = <T extends { conversation: object }>(a: T) => ({ ...a, conversation: { ...a.conversation, id: thread } });
    await rig.feature.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id }, threadActivityId: 'setup-thread' });
    await rig.post(inThread(message(serviceUrl, 'schedule AccSync every 1 minute', 'channel', ADA)));
    const call = connector.messages(CHANNEL).find((c) => cardText(cardOf(c)).includes('Schedule approval needed'))!;
    const requestId = (cardOf(call) as { refresh: { action: { data: { requestId: string } } } }).refresh.action.data.requestId;
    await rig.post(inThread(invoke(serviceUrl, BOB, VERBS.approveSchedule, { requestId }, call.activityId)));
    await rig.feature.idle();
    expect(connector.messages(CHANNEL).map((c) => c.activity.text ?? '').filter((t) => /approved the schedule/.test(t)).at(-1)).toMatch(/Its run alerts come here\.$/);
    await until('a scheduled run', async () => finished(await rig.di.listExecutions('AccSync')).length >= 1);
    await rig.feature.watcher.pollOnce();
    const alert = connector.calls.find((c) => cardText(cardOf(c)).includes('AccSync finished'))!;
    expect(alert).toMatchObject({ kind: 'reply', replyToId: '1700000000777' });
  });

  test('an expired request cannot be approved and its card says so', async () => {
    const { requestId, cardId } = await askForSchedule();
    shift = 73 * 3_600_000;
    const late = await rig.post(invoke(serviceUrl, BOB, VERBS.approveSchedule, { requestId }, cardId));
    expect(cardText((late.body as { value: unknown }).value)).toMatch(/Schedule request expired.*not set/);
    await rig.feature.idle();
    expect(cardText(cardOf(connector.calls.find((c) => c.kind === 'update')!))).toContain('Schedule request expired');
    expect((await rig.di.getSchedule('AccSync')).recurrence).toEqual({ kind: 'manual' });
  });

  test('scheduled runs are posted once each in the project\'s thread, across a restart, with their per-record reasons', async () => {
    await rig.post(message(serviceUrl, 'help', 'channel', ADA)); // the channel's reference
    await rig.feature.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id } });
    await rig.di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' });
    await until('the first scheduled run', async () => finished(await rig.di.listExecutions('AccSync')).length >= 1);
    await rig.feature.watcher.pollOnce();
    const [root] = connector.calls.filter((c) => c.kind === 'createConversation');
    expect(root).toBeDefined();
    expect(cardText(cardOf(root))).toMatch(/AccSync finished with errors.*Required field|AccSync finished with errors.*characters long/);

    await rig.close(); // restart between two runs
    const seen = finished(await rig.di.listExecutions('AccSync')).length;
    await until('a run while the bot is down', async () => finished(await rig.di.listExecutions('AccSync')).length > seen);
    rig = await start();
    await rig.di.pauseSchedule('AccSync');
    await until('the runs to end', async () => (await rig.di.listExecutions('AccSync')).every((e) => e.status !== 'queued' && e.status !== 'running'));
    await rig.feature.watcher.pollOnce();
    await rig.feature.watcher.pollOnce();

    const alerts = connector.calls.filter((c) => cardText(cardOf(c)).includes('AccSync finished'));
    const runIds = alerts.map((c) => /Run \| ([\w\\-]+)/.exec(cardText(cardOf(c)))?.[1]?.replace(/\\/g, ''));
    const all = finished(await rig.di.listExecutions('AccSync'));
    expect(new Set(runIds).size).toBe(runIds.length);
    expect(runIds.sort()).toEqual(all.map((e) => e.id).sort());
    expect(alerts.slice(1).every((c) => c.kind === 'reply' && c.replyToId === root.activityId)).toBe(true);
    alerts.forEach((c) => expect(cardProblems(cardOf(c))).toEqual([]));
  }, 60_000);

  test('a run alert names each rejected record beside its id; when the name lookup fails it still lists the ids (item 15)', async () => {
    await rig.post(message(serviceUrl, 'help', 'channel', ADA)); // the channel's reference
    await rig.feature.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id } });
    const plain = (call: ConnectorCall) => cardText(cardOf(call)).replace(/\\(.)/g, '$1');
    const alertOf = async () => {
      const executionId = await rig.di.runProject('AccSync');
      await until('the run to end', async () => finished(await rig.di.listExecutions('AccSync')).some((e) => e.id === executionId));
      await rig.feature.watcher.pollOnce();
      const call = connector.calls.find((c) => plain(c).includes(`Run | ${executionId}`))!;
      expect(cardProblems(cardOf(call))).toEqual([]);
      return { text: plain(call), executionId, activityId: call.activityId! };
    };
    const rejected = sandbox.sourceRows(SANDBOX_ENVIRONMENTS.sales.name, 'account').filter((r) => typeof r.data.name !== 'string' || r.data.name.length > 160);
    expect(rejected).toHaveLength(3);

    const { text: named, executionId, activityId } = await alertOf();
    for (const { recordId, data: { name, accountnumber } } of rejected) {
      // A name too long for the destination is shown clipped, with the account number; a nameless account by its number.
      const line = typeof name === 'string' ? `${name.slice(0, 60)}` : `| ${String(accountnumber)} · ${recordId} (name): Required field "name" is empty`;
      expect(named).toContain(line);
      if (typeof name === 'string') expect(named).toContain(`… (${String(accountnumber)}) · ${recordId} (name): "name" is 200 characters long`);
    }
    expect(named).not.toMatch(/Record [0-9a-f]{8}-/);
    const shown = await rig.post(invoke(serviceUrl, ADA, VERBS.showRunErrors, { projectName: 'AccSync', executionId }, activityId));
    const errorsView = cardText((shown.body as { value: unknown }).value).replace(/\\(.)/g, '$1');
    expect(errorsView).toContain('Rejected records');
    for (const { recordId, data } of rejected) expect(errorsView).toContain(`${String(data.accountnumber)}${typeof data.name === 'string' ? ')' : ''} · ${recordId}`);

    sandbox.faults.inject({ route: 'listRecords', status: 500 });
    const { text: idsOnly } = await alertOf();
    for (const row of rejected) expect(idsOnly).toContain(`Record ${row.recordId} (name): `);
    expect(idsOnly).not.toContain(String(rejected[0]!.data.accountnumber));
  }, 60_000);

  test('a schedule that silently stops is reported as stalled once, and once more when it recovers', async () => {
    await rig.post(message(serviceUrl, 'help', 'channel', ADA));
    await rig.feature.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id }, threadActivityId: 'root-1' });
    await rig.di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'minutes' });
    await until('the first scheduled run', async () => finished(await rig.di.listExecutions('AccSync')).length >= 1);
    await rig.feature.watcher.pollOnce();
    sandbox.scheduler.halt();
    shift = (2 + 5 + 1) * MINUTE_MS; // past twice the interval plus the grace period, in sandbox minutes
    const stalled = () => connector.calls.filter((c) => /schedule of AccSync has stalled/.test(cardText(cardOf(c))));
    await rig.feature.watcher.pollOnce();
    await rig.feature.watcher.pollOnce();
    expect(stalled()).toHaveLength(1);
    expect(cardText(cardOf(stalled()[0]))).toContain('AccSync');
    expect(cardProblems(cardOf(stalled()[0]))).toEqual([]);

    sandbox.scheduler.resume();
    shift = 0;
    const runs = finished(await rig.di.listExecutions('AccSync')).length;
    await until('a run after the recovery', async () => finished(await rig.di.listExecutions('AccSync')).length > runs);
    await rig.feature.watcher.pollOnce();
    await rig.feature.watcher.pollOnce();
    const recovered = connector.calls.filter((c) => /schedule of AccSync runs again/.test(cardText(cardOf(c))));
    expect(recovered).toHaveLength(1);
  }, 60_000);

  test('the connector answering 429 then 200 delivers once; 403 drops that conversation and the next project\'s alert still goes out', async () => {
    await createSandboxProject(rig.di, 'Contacts');
    await rig.post(message(serviceUrl, 'help', 'channel', ADA));
    await rig.post(message(serviceUrl, 'help', 'personal', ADA));
    const owner = { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id };
    const personal = `a:personal-${ADA.id}`;
    await rig.feature.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner, threadActivityId: 'root-1' });
    await rig.feature.watchProject({ projectName: 'Contacts', conversationId: personal, owner });
    const before = connector.calls.length;

    const runOnce = async (project: string) => {
      const id = await rig.di.runProject(project);
      await until(`run of ${project}`, async () => finished([await rig.di.getExecution(project, id)]).length === 1);
    };
    await runOnce('AccSync');
    connector.injectFault({ status: 429, retryAfterSeconds: 1, conversationId: CHANNEL });
    await rig.feature.watcher.pollOnce();
    expect(connector.calls.slice(before).filter((c) => c.conversationId.startsWith(CHANNEL))).toHaveLength(1);

    await runOnce('AccSync');
    await runOnce('Contacts');
    connector.injectFault({ status: 403, code: 'BotNotInConversationRoster', conversationId: CHANNEL, times: 10 });
    await rig.feature.watcher.pollOnce();
    expect(connector.calls.slice(before).filter((c) => c.conversationId === personal).map((c) => cardText(cardOf(c)))).toEqual([expect.stringContaining('Contacts')]);
    expect((await rig.feature.watches.active()).map((w) => w.projectName)).toEqual(['Contacts']);
    await runOnce('AccSync');
    await rig.feature.watcher.pollOnce();
    expect(connector.calls.slice(before).filter((c) => c.conversationId.startsWith(CHANNEL))).toHaveLength(1);
  }, 60_000);
});
