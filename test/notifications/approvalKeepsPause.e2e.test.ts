import { ADA, BOB, CHANNEL, execute, message } from '../helpers/activities';
import type { Rig } from '../helpers/approvalsRig';
import { type ConnectorRig, startConnectorRig } from '../helpers/connectorRig';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { createSandboxProject } from '../helpers/sandboxProject';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';
import type { ConnectorCall, LocalConnector } from '../../dev/playground/localConnector';
import { VERBS } from '../../src/verbs';

const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;

// Issue 28, item 5: a pause made while a schedule request waits is kept by the approval that follows.
describe.each([sqliteBackend(), azureBackend()])('an approval on a paused project, on $name', (backend: StateBackend) => {
  let connector: LocalConnector, serviceUrl: string, rig: Rig, world: ConnectorRig;

  beforeEach(async () => {
    ({ connector, serviceUrl, rig } = world = await startConnectorRig(backend, {
      sandbox: { minuteMs: 60_000, seed: { accounts: 20 } }, members: [BOB, ADA], env: { SCHEDULE_APPROVERS: BOB.aadObjectId },
    }));
    await createSandboxProject(rig.di, 'AccSync');
    await rig.di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
  });
  afterEach(() => world.close());
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
