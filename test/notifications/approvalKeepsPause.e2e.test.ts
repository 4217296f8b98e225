import { ADA, BOB, CHANNEL, execute, message } from '../helpers/activities';
import { Rig, startRig } from '../helpers/approvalsRig';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { tempDataDir } from '../helpers/harness';
import { createSandboxProject } from '../helpers/sandboxProject';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';
import { ConnectorCall, LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { VERBS } from '../../src/verbs';

const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;

// Issue 28, item 5: a pause made while a schedule request waits is kept by the approval that follows.
describe.each([sqliteBackend(), azureBackend()])('an approval on a paused project, on $name', (backend: StateBackend) => {
  let sandbox: Sandbox;
  let connector: LocalConnector;
  let serviceUrl: string;
  let closeConnector: () => Promise<void>;
  let rig: Rig;

  beforeEach(async () => {
    const dataDir = tempDataDir();
    sandbox = await startSandbox({ port: 0, dataDir, minuteMs: 60_000, seed: { accounts: 20 } });
    ({ connector, serviceUrl, close: closeConnector } = await startLocalConnector());
    connector.addMembers({ id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId }, { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId });
    rig = await startRig({ dataDir, sandbox, minuteMs: 60_000, env: { SCHEDULE_APPROVERS: BOB.aadObjectId, ...(await backend.env()) } });
    await createSandboxProject(rig.di, 'AccSync');
    await rig.di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
  });
  afterEach(async () => {
    await rig.close();
    await closeConnector();
    await sandbox.close();
  });
  afterAll(() => backend.stop());

  test('the approval sets the new schedule and keeps the pause; the card, the requester and the history say who paused it', async () => {
    await rig.post(message(serviceUrl, 'schedule AccSync every 1 minute', 'channel', ADA));
    const call = connector.messages(CHANNEL).find((c) => cardText(cardOf(c)).includes('Schedule approval needed'))!;
    const requestId = (cardOf(call) as { refresh: { action: { data: { requestId: string } } } }).refresh.action.data.requestId;

    const paused = await rig.post(execute(serviceUrl, BOB, VERBS.pauseSchedule, { projectName: 'AccSync', view: 'status' }, 'status-card'));
    expect(cardText((paused.body as { value: unknown }).value)).toContain('every hour, paused');
    await rig.post(execute(serviceUrl, BOB, VERBS.approveSchedule, { requestId }, call.activityId!));
    await rig.feature.idle();

    expect(await rig.di.getSchedule('AccSync')).toMatchObject({ recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, paused: true });
    const final = cardOf(connector.calls.filter((c) => c.kind === 'update' && c.activityId === call.activityId).at(-1)!);
    expect(cardProblems(final)).toEqual([]);
    expect(cardText(final)).toMatch(/Scheduled\. It stays paused, as \*\*Bob Approver\*\* paused it .*type "status" and click Resume/);
    const toAda = connector.messages(CHANNEL).map((c) => c.activity.text ?? '').filter((t) => t.startsWith('<at>Ada Admin</at>'));
    expect(toAda).toEqual([expect.stringMatching(/approved the schedule of "AccSync".*It is scheduled\. It stays paused, as Bob Approver paused it on \d+ \w+ \d{4}.*click Resume/)]);

    await rig.post(message(serviceUrl, 'history AccSync', 'channel', ADA));
    expect(cardText(cardOf(connector.messages(CHANNEL).at(-1)!))).toMatch(/kept paused.*approved.*Bob Approver\*\* paused the schedule.*asked for a schedule/);
  }, 60_000);
});
