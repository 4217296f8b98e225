import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import { createLogger } from '../../../src/logger';
import { LocalConnector, startLocalConnector } from '../../../dev/playground/localConnector';
import { VERBS } from '../../../src/verbs';
import { openAzureStateStores } from '../../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../../src/storage/azure/azureTarget';
import { ADA, base, BOB, message, Person } from '../../helpers/activities';
import { Azurite, freePort, freshPrefix, startAzurite } from '../../helpers/azurite';
import { ensureBuilt } from '../../helpers/build';
import { cardText } from '../../helpers/cardWalk';
import { NodeProcess, startNode } from '../../helpers/processes';
import { clickActivity, newestCard, walkToReview } from '../../helpers/setupWalk';

const LEASE_SECONDS = 15;
const PROJECT = 'Two instances sync';
const APPROVERS: Person[] = [BOB, ...Array.from({ length: 19 }, (_, i) => ({
  id: `29:approver-${i}`, name: `Approver ${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
}))];
const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Two App Service instances on one machine: two bot processes on STATE_STORE=azure, one Azurite, one sandbox process, one Bot Connector. */
describe('two bot instances on Azure Storage (Azurite), one sandbox process, the local connector', () => {
  let azurite: Azurite;
  let sandbox: NodeProcess;
  let sandboxUrl: string;
  let connector: LocalConnector;
  let serviceUrl: string;
  let closeConnector: () => Promise<void>;
  const bots: Array<{ proc: NodeProcess; url: string }> = [];
  let env: Record<string, string>;

  const post = async (instance: number, activity: object) => {
    const res = await fetch(`${bots[instance].url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    return { status: res.status, body: await res.text() };
  };
  const startBot = async () => {
    const port = await freePort();
    const proc = startNode('src/index.js', { ...env, PORT: String(port) });
    await proc.waitForOutput(/bot listening/, 60_000);
    bots.push({ proc, url: `http://127.0.0.1:${port}` });
  };
  const di = () => createDataIntegration({
    baseUrls: { bap: `${sandboxUrl}/bap`, powerapps: `${sandboxUrl}/powerapps`, integrator: `${sandboxUrl}/integrator` },
    tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0,
  });

  beforeAll(async () => {
    ensureBuilt();
    azurite = await startAzurite();
    sandbox = startNode('dev/sandbox/main.js', { SANDBOX_PORT: String(await freePort()), LOG_LEVEL: 'silent' });
    sandboxUrl = (await sandbox.waitForOutput(/INTEGRATOR_BASE_URL=(http:\/\/[^/\s]+)/, 60_000))[1];
    ({ connector, serviceUrl, close: closeConnector } = await startLocalConnector());
    env = {
      STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix(),
      SANDBOX_URL: sandboxUrl, LEADER_LEASE_SECONDS: String(LEASE_SECONDS), RUN_POLL_SECONDS: '1', LOG_LEVEL: 'info',
      SCHEDULE_APPROVERS: APPROVERS.map((p) => p.aadObjectId).join(','),
    };
    await startBot();
    await startBot();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.proc.kill('SIGKILL')));
    await sandbox?.kill();
    await closeConnector?.();
    await azurite?.stop();
  });

  test('a setup flow sent step by step to the other instance reaches a created project and a first run', async () => {
    const review = await walkToReview(serviceUrl, connector, (step, activity) => post(step % 2, activity), PROJECT);
    await post(1, clickActivity(serviceUrl, review, 'Create'));
    const step5 = newestCard({ connector });
    expect(cardText(step5)).toContain('Step 5 of 5');
    await post(0, clickActivity(serviceUrl, step5, 'Run now'));
    const update = await connector.waitFor((c) => c.kind === 'update', 30_000);
    expect(cardText(update.activity.attachments![0].content)).toMatch(new RegExp(`${PROJECT} (succeeded|finished with errors)`));
    expect(await di().listExecutions(PROJECT)).toHaveLength(1);
  }, 90_000);

  test('a reference stored through A is used by B; 20 Approve clicks across both make one decision and one schedule', async () => {
    await post(0, message(serviceUrl, 'help', 'personal', BOB)); // Bob's personal chat is known through A only
    expect((await post(1, message(serviceUrl, `schedule ${PROJECT} every 1 minute`, 'personal', ADA))).status).toBe(200);
    const toBob = await connector.waitFor((c) => c.conversationId.startsWith(`a:personal-${BOB.id}`) && cardText(c.activity.attachments?.[0]?.content).includes('Schedule approval needed'), 20_000);
    const card = toBob.activity.attachments![0].content as { refresh: { action: { data: { requestId: string } } } };
    const { requestId } = card.refresh.action.data;

    const clicks = await Promise.all(APPROVERS.map((who, i) => post(i % 2, {
      ...base(serviceUrl, 'personal', who), type: 'invoke', name: 'adaptiveCard/action', replyToId: toBob.activityId,
      value: { action: { type: 'Action.Execute', verb: VERBS.approveSchedule, data: { requestId } }, trigger: 'manual' },
    })));
    expect(clicks.map((c) => c.status)).toEqual(APPROVERS.map(() => 200));
    expect(clicks.filter((c) => c.body.includes('your click changed nothing'))).toHaveLength(19);

    const stores = await openAzureStateStores(azureTarget({ ...env, AZURE_STATE_PREFIX: env.AZURE_STATE_PREFIX }), createLogger('silent'), LEASE_SECONDS);
    await until('the schedule to be saved', async () => (await stores.approvals.get(requestId))?.scheduleState === 'set', 30_000);
    const trail = (await stores.approvals.history(PROJECT)).map((e) => e.action);
    expect(trail).toEqual(['scheduleSet', 'approved', 'requested']);
    expect((await di().getSchedule(PROJECT)).recurrence).toEqual({ kind: 'recurring', every: 1, unit: 'minutes' });
  }, 90_000);

  test('when the lease holder is killed (SIGKILL) the other instance takes over the alerts within two lease periods', async () => {
    const leaderMsg = /leader lease taken/;
    await until('a leader', () => bots.some((b) => leaderMsg.test(b.proc.output())), 2 * LEASE_SECONDS * 1000);
    const leader = bots.findIndex((b) => leaderMsg.test(b.proc.output()));
    const other = bots[1 - leader];
    expect(leaderMsg.test(other.proc.output())).toBe(false);
    const killedAt = Date.now();
    await bots[leader].proc.kill('SIGKILL');
    await other.proc.waitForOutput(leaderMsg, 2 * LEASE_SECONDS * 1000);
    const takeoverMs = Date.now() - killedAt;
    console.log(`takeover after SIGKILL: ${takeoverMs} ms (lease ${LEASE_SECONDS} s)`);
    expect(takeoverMs).toBeLessThan(2 * LEASE_SECONDS * 1000);
  }, 60_000);
});
