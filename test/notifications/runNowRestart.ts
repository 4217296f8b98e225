import { LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import { isUpdateBeyondSetup } from '../helpers/setupWalk';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { message, submit } from '../helpers/activities';
import { ensureBuilt } from '../helpers/build';
import { cardAction, cardInputs, cardText } from '../helpers/cardWalk';
import { tempDataDir } from '../helpers/harness';
import { listeningUrl, NodeProcess, startNode } from '../helpers/processes';

const PROJECT = 'Restart account sync';
const cardsOf = (c: LocalConnector) => c.messages().flatMap((m) => (m.activity.attachments ?? []).map((a) => ({ call: m, card: a.content })));

/** The bot as its own process (the production entry) on `dataDir`, pointed at the sandbox that outlives it. */
async function startBot(sandbox: Sandbox, dataDir: string): Promise<{ proc: NodeProcess; url: string }> {
  const proc = startNode('src/index.js', {
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', START_SANDBOX: 'false', RUN_POLL_SECONDS: '30',
    BAP_BASE_URL: sandbox.baseUrls.bap, POWERAPPS_BASE_URL: sandbox.baseUrls.powerapps, INTEGRATOR_BASE_URL: sandbox.baseUrls.integrator,
  });
  return { proc, url: await listeningUrl(proc, 30_000) };
}

async function post(url: string, activity: object): Promise<void> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
}

/** Walks the guided setup to step 5 and clicks "Run now"; returns the id of the "running" card. */
async function runNowThroughSetup(url: string, connector: LocalConnector, serviceUrl: string): Promise<string> {
  const last = () => cardsOf(connector).at(-1)!.card;
  const click = (title: string, changes: Record<string, string> = {}) =>
    post(url, submit(serviceUrl, { ...cardInputs(last()), ...changes, ...cardAction(last(), title) }));
  await post(url, message(serviceUrl, 'set up account sync'));
  await click('Continue');
  await click('Next', { mode: 'new' });
  await click('Next', { name: PROJECT, consent: 'true' });
  await click('Create');
  expect(cardText(last())).toContain('Step 5 of 5');
  await click('Run now');
  // The newest card that shows the run (the step-5 card is frozen after it, so it is no longer the last one touched).
  const running = cardsOf(connector).filter((c) => cardText(c.card).includes(`${PROJECT} is running`)).at(-1);
  expect(running).toBeDefined();
  return running!.call.activityId!;
}

/**
 * "Run now", then the bot stops with `signal` while the run is in progress. One test file per signal
 * (runNowRestart.sig*.e2e.test.ts), so that Jest runs the two restarts side by side.
 */
export function describeRunNowRestart(signal: 'SIGTERM' | 'SIGKILL'): void {
  describe(`"Run now", then the bot stops (${signal}) while the run is in progress`, () => {
    let sandbox: Sandbox;
    let connector: Awaited<ReturnType<typeof startLocalConnector>>;
    beforeAll(() => ensureBuilt(), 120_000);
    beforeEach(async () => {
      // Enough rows that the run is still going when the bot is stopped.
      sandbox = await startSandbox({ port: 0, dataDir: tempDataDir(), seed: { accounts: 120_000 } });
      connector = await startLocalConnector();
    }, 60_000);
    afterEach(async () => {
      await connector.close();
      await sandbox.close();
    });

    test('after a restart on the same data the result card is updated once, and no alert repeats it', async () => {
      const dataDir = tempDataDir();
      const first = await startBot(sandbox, dataDir);
      const cardId = await runNowThroughSetup(first.url, connector.connector, connector.serviceUrl);
      await first.proc.kill(signal);
      expect(connector.connector.calls.filter(isUpdateBeyondSetup)).toEqual([]); // the run had not finished yet
      const sentBefore = connector.connector.calls.length;

      const second = await startBot(sandbox, dataDir);
      try {
        const update = await connector.connector.waitFor(isUpdateBeyondSetup, 60_000);
        expect(update.activityId).toBe(cardId);
        const result = cardText(update.activity.attachments![0].content);
        expect(result).toMatch(new RegExp(`${PROJECT} finished with errors`));
        // Its first rejected records are named from the source environment beside their ids (issue 12, item 15).
        expect(result.replace(/\\(.)/g, '$1')).toMatch(/ACC-\d{6}\)? · [0-9a-f-]{36} \(name\): /);
        // One more full poll after the result: nothing repeats it, as an update or as an alert.
        await new Promise((r) => setTimeout(r, 4000));
        const after = connector.connector.calls.slice(sentBefore);
        expect(after.filter((c) => c.kind === 'update')).toHaveLength(1);
        expect(after.filter((c) => c.kind !== 'update' && JSON.stringify(c.activity).includes(PROJECT))).toEqual([]);
      } finally {
        await second.proc.kill('SIGTERM');
      }
    }, 120_000);
  });
}
