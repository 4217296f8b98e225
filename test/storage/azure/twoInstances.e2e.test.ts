import { createLogger } from '../../../src/logger';
import { VERBS } from '../../../src/verbs';
import { openAzureStateStores } from '../../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../../src/storage/azure/azureTarget';
import { ADA, base, BOB, message, Person } from '../../helpers/activities';
import { cardText } from '../../helpers/cardWalk';
import { clickActivity, isUpdateBeyondSetup, newestCard, walkToReview } from '../../helpers/setupWalk';
import { startTryOut, TryOut, until } from '../../helpers/tryOut';

const LEASE_SECONDS = 15;
const PROJECT = 'Two instances sync';
const APPROVERS: Person[] = [BOB, ...Array.from({ length: 19 }, (_, i) => ({
  id: `29:approver-${i}`, name: `Approver ${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
}))];

/** Two App Service instances on one machine: two bot processes on STATE_STORE=azure, one Azurite, one sandbox process, one Bot Connector. */
describe('two bot instances on Azure Storage (Azurite), one sandbox process, the local connector', () => {
  let t: TryOut;
  const post = (instance: number, activity: object) => t.post(instance, activity);

  beforeAll(async () => {
    t = await startTryOut({ LEADER_LEASE_SECONDS: String(LEASE_SECONDS), SCHEDULE_APPROVERS: APPROVERS.map((p) => p.aadObjectId).join(',') });
    await t.startBot();
    await t.startBot();
  }, 180_000);
  afterAll(() => t?.close());

  test('a setup flow sent step by step to the other instance reaches a created project and a first run', async () => {
    const review = await walkToReview(t.serviceUrl, t.connector, (step, activity) => post(step % 2, activity), PROJECT);
    await post(1, clickActivity(t.serviceUrl, review, 'Create'));
    const step5 = newestCard(t);
    expect(cardText(step5)).toContain('Step 5 of 5');
    await post(0, clickActivity(t.serviceUrl, step5, 'Run now'));
    const update = await t.connector.waitFor(isUpdateBeyondSetup, 30_000);
    expect(cardText(update.activity.attachments![0].content)).toMatch(new RegExp(`${PROJECT} (succeeded|finished with errors)`));
    expect(await t.di().listExecutions(PROJECT)).toHaveLength(1);
  }, 90_000);

  test('a reference stored through A is used by B; 20 Approve clicks across both make one decision and one schedule', async () => {
    await post(0, message(t.serviceUrl, 'help', 'personal', BOB)); // Bob's personal chat is known through A only
    expect((await post(1, message(t.serviceUrl, `schedule ${PROJECT} every 1 minute`, 'personal', ADA))).status).toBe(200);
    const toBob = await t.connector.waitFor((c) => c.conversationId.startsWith(`a:personal-${BOB.id}`) && cardText(c.activity.attachments?.[0]?.content).includes('Schedule approval needed'), 20_000);
    const card = toBob.activity.attachments![0].content as { refresh: { action: { data: { requestId: string } } } };
    const { requestId } = card.refresh.action.data;

    const clicks = await Promise.all(APPROVERS.map((who, i) => post(i % 2, {
      ...base(t.serviceUrl, 'personal', who), type: 'invoke', name: 'adaptiveCard/action', replyToId: toBob.activityId,
      value: { action: { type: 'Action.Execute', verb: VERBS.approveSchedule, data: { requestId } }, trigger: 'manual' },
    })));
    expect(clicks.map((c) => c.status)).toEqual(APPROVERS.map(() => 200));
    expect(clicks.filter((c) => c.body.includes('your click changed nothing'))).toHaveLength(19);

    const stores = await openAzureStateStores(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: t.env.AZURE_STORAGE_CONNECTION_STRING, AZURE_STATE_PREFIX: t.env.AZURE_STATE_PREFIX }), createLogger('silent'), LEASE_SECONDS);
    await until('the schedule to be saved', async () => (await stores.approvals.get(requestId))?.scheduleState === 'set', 30_000);
    const trail = (await stores.approvals.history(PROJECT)).map((e) => e.action);
    expect(trail).toEqual(['scheduleSet', 'approved', 'requested']);
    expect((await t.di().getSchedule(PROJECT)).recurrence).toEqual({ kind: 'recurring', every: 1, unit: 'minutes' });
  }, 90_000);

  test('when the lease holder is killed (SIGKILL) the other instance takes over the alerts within two lease periods', async () => {
    const leaderMsg = /leader lease taken/;
    await until('a leader', () => t.bots.some((b) => leaderMsg.test(b.proc.output())), 2 * LEASE_SECONDS * 1000);
    const leader = t.bots.findIndex((b) => leaderMsg.test(b.proc.output()));
    const other = t.bots[1 - leader];
    expect(leaderMsg.test(other.proc.output())).toBe(false);
    const killedAt = Date.now();
    await t.bots[leader].proc.kill('SIGKILL');
    await other.proc.waitForOutput(leaderMsg, 2 * LEASE_SECONDS * 1000);
    const takeoverMs = Date.now() - killedAt;
    console.log(`takeover after SIGKILL: ${takeoverMs} ms (lease ${LEASE_SECONDS} s)`);
    expect(takeoverMs).toBeLessThan(2 * LEASE_SECONDS * 1000);
  }, 60_000);
});
