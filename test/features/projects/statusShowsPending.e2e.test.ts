import { ADA, BOB, CHANNEL, execute, message } from '../../helpers/activities';
import type { Rig } from '../../helpers/approvalsRig';
import { type ConnectorRig, startConnectorRig } from '../../helpers/connectorRig';
import { cardReading } from '../../helpers/cardWalk';
import { createSandboxProject } from '../../helpers/sandboxProject';
import { azureBackend, sqliteBackend, type StateBackend } from '../../helpers/stateBackends';
import type { LocalConnector } from '../../../dev/playground/localConnector';
import { VERBS } from '../../../src/verbs';

const MOMENT = String.raw`\{\{DATE\([^)]+\)[^}]*\}\} \{\{TIME\([^)]+\)\}\}`;

// Issue 32, item 2: "status" shows what is pending per project: a schedule request, a pause and who made it, a run going.
describe.each([sqliteBackend(), azureBackend()])('"status" shows what is pending, on $name', (backend: StateBackend) => {
  let connector: LocalConnector, serviceUrl: string, rig: Rig, world: ConnectorRig;

  beforeEach(async () => {
    ({ connector, serviceUrl, rig } = world = await startConnectorRig(backend, {
      sandbox: { minuteMs: 60_000, seed: { accounts: 20_000 } }, members: [BOB], env: { SCHEDULE_APPROVERS: BOB.aadObjectId },
    }));
    await createSandboxProject(rig.di, 'AccSync');
    await rig.di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
  });
  afterEach(() => world.close());
  afterAll(() => backend.stop());

  /** Types "status" and reads the list card it answers with. */
  const status = async () => {
    await rig.post(message(serviceUrl, 'status', 'channel', ADA));
    const call = connector.messages(CHANNEL).filter((c) => c.activity.attachments?.length).at(-1)!;
    return { text: cardReading(call.activity.attachments![0]!.content), activityId: call.activityId };
  };

  test('a schedule request waiting, then who paused it and since when, then a run going', async () => {
    expect((await status()).text).not.toMatch(/Waiting for approval|Now \|/);

    await rig.post(message(serviceUrl, 'schedule AccSync every 2 hours', 'channel', ADA));
    const requested = await status();
    expect(requested.text).toMatch(new RegExp(`Waiting for approval \\| every 2 hours, asked by Ada Admin on ${MOMENT}; open until ${MOMENT}`));
    expect(requested.text).toMatch(new RegExp(`Schedule \\| every hour, next ${MOMENT}`));

    const paused = await rig.post(execute(serviceUrl, BOB, VERBS.pauseSchedule, { projectName: 'AccSync', view: 'status' }, requested.activityId));
    const pausedBy = new RegExp(`Schedule \\| every hour, paused by Bob Approver since ${MOMENT}`);
    expect(cardReading((paused.body as { value: unknown }).value)).toMatch(pausedBy); // the clicker's card, redrawn
    expect((await status()).text).toMatch(pausedBy);

    // Five runs back to back: the service runs them one after another, so one is going (or queued) when "status" asks;
    // runs only end, so one still going after "status" answered was going while it read.
    for (let i = 0; i < 5; i++) await rig.di.runProject('AccSync');
    const running = await status();
    expect((await rig.di.listExecutions('AccSync')).some((e) => e.status === 'queued' || e.status === 'running')).toBe(true);
    expect(running.text).toMatch(new RegExp(`Now \\| (running|queued) since ${MOMENT}`));
    expect(running.text).toMatch(/Waiting for approval \| every 2 hours, asked by Ada Admin/);
  }, 60_000);
});
