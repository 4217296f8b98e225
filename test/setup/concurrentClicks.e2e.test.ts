import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { cardText } from '../helpers/cardWalk';
import { Harness, startHarness } from '../helpers/harness';
import { holdFirstNewWatch } from '../helpers/heldWatchWrites';
import { clickActivity, isUpdateBeyondSetup, newestCard, sentCards, walkToReview } from '../helpers/setupWalk';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const texts = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

describe.each([sqliteBackend(), azureBackend()])('one person\'s quick clicks act once ($name)', (backend: StateBackend) => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });
  afterAll(() => backend.stop());

  test('two simultaneous "Create" create one project and the flow reaches step 5; three "Run now" start one run', async () => {
    h = await startHarness(await backend.env());
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'Quick clicks sync');

    const creates = await Promise.all([0, 1].map(() => h.post(clickActivity(h.serviceUrl, review, 'Create'))));
    expect(creates.map((r) => r.status)).toEqual([200, 200]);
    const step5 = newestCard(h);
    expect(cardText(step5)).toContain('Step 5 of 5');
    expect(sentCards(h).filter((c) => cardText(c).includes('already exists'))).toEqual([]);
    expect(texts(h).pop()).toContain('Already created');
    const di = createDataIntegration({ baseUrls: h.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
    expect((await di.listProjects()).filter((p) => p.name === 'Quick clicks sync')).toHaveLength(1);

    const runs = await Promise.all([0, 1, 2].map(() => h.post(clickActivity(h.serviceUrl, step5, 'Run now'))));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.connector.waitFor(isUpdateBeyondSetup, 20_000);
    expect(await di.listExecutions('Quick clicks sync')).toHaveLength(1);
    expect(sentCards(h).filter((c) => /is running|running/i.test(cardText(c)) && cardText(c).includes('Quick clicks sync'))).toHaveLength(1);
  }, 90_000);

  test('"Run now" right after "Create", while the Create\'s watch waits between its read and its write: the running card still gets the result', async () => {
    const hold = holdFirstNewWatch('Held create sync');
    h = await startHarness(await backend.env(), undefined, { aroundStores: (s) => ({ ...s, watches: hold.around(s.watches) }) });
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'Held create sync');
    expect((await h.post(clickActivity(h.serviceUrl, review, 'Create'))).status).toBe(200);
    await hold.reached;

    expect((await h.post(clickActivity(h.serviceUrl, newestCard(h), 'Run now'))).status).toBe(200);
    const running = h.connector.messages().filter((c) => /running/i.test(cardText(c.activity.attachments?.[0]?.content))).at(-1)!;
    hold.release();
    await h.app.alerts.idle();
    // Only a run recorded as pending on the watch updates its card; a lost one would come as a new message.
    const result = await h.connector.waitFor(isUpdateBeyondSetup, 20_000).catch(async (e) => { console.log(JSON.stringify(await h.app.alerts.watches.active()), h.connector.messages().map((c) => [c.kind, c.activityId, cardText(c.activity.attachments?.[0]?.content).slice(0, 80), c.activity.text])); throw e; });
    expect(result.activityId).toBe(running.activityId);
    expect(cardText(result.activity.attachments![0].content)).toContain('Held create sync');
    expect((await h.app.alerts.watches.active()).filter((w) => w.projectName === 'Held create sync')).toHaveLength(1);
  }, 90_000);
});
