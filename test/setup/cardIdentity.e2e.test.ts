import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';
import { ADA, base, BOB, message, Person, submit } from '../helpers/activities';
import { cardAction, cardText } from '../helpers/cardWalk';
import { Harness, startHarness } from '../helpers/harness';
import { clickActivity, newestCard, walkToReview } from '../helpers/setupWalk';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

const texts = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];
/** The message id of the last card sent whose text matches: what Teams names in replyToId when it is clicked. */
const idOfCard = (h: Harness, shows: RegExp) => h.connector.messages().filter((c) => c.kind !== 'update' && shows.test(cardText(c.activity.attachments?.[0]?.content))).at(-1)!.activityId;
const runAgain = (h: Harness, who: Person, projectName: string) => ({
  ...base(h.serviceUrl, 'channel', who), type: 'invoke', name: 'adaptiveCard/action', replyToId: 'status-card',
  value: { action: { type: 'Action.Execute', verb: VERBS.runAgain, data: { projectName } }, trigger: 'manual' },
});
const answerOf = (res: { body: string }) => String((JSON.parse(res.body) as { value?: unknown }).value ?? '');

describe.each([sqliteBackend(), azureBackend()])('every click acts once, as the card it came from, for the person it belongs to ($name)', (backend: StateBackend) => {
  let h: Harness;
  let di: DataIntegration;
  const start = async () => {
    h = await startHarness(await backend.env());
    di = createDataIntegration({ baseUrls: h.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
  };
  const created = async (name: string) => (await di.listProjects()).some((p) => p.name === name);
  afterEach(async () => { await h?.close(); });
  afterAll(() => backend.stop());

  test('a reply to an earlier card with its step rewritten changes nothing (item 1)', async () => {
    await start();
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'Rewritten step sync');
    const create = cardAction(review, 'Create') as Record<string, unknown>;
    for (const earlier of [/Step 2 of 5/, /Step 3 of 5/]) {
      // The step-2 (then step-3) card's message, answered with the review's data: the flow judges by the card.
      await h.post({ ...submit(h.serviceUrl, { ...create, step: 'review', action: 'next' }), replyToId: idOfCard(h, earlier) });
      expect(texts(h).pop()).toContain('earlier step');
      expect(await created('Rewritten step sync')).toBe(false);
    }
    // The review card itself still creates the project.
    await h.post({ ...clickActivity(h.serviceUrl, review, 'Create'), replyToId: idOfCard(h, /Step 4 of 5/) });
    expect(cardText(newestCard(h))).toContain('Step 5 of 5');
    expect(await created('Rewritten step sync')).toBe(true);
  }, 90_000);

  test('a bystander\'s click on any setup button, step 5 included, before and after "Run now", changes nothing (item 2)', async () => {
    await start();
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'Bystander sync');
    for (const title of ['Create', 'Back', 'Cancel']) {
      await h.post(clickActivity(h.serviceUrl, review, title, {}, BOB));
      expect(texts(h).pop()).toContain('this is Ada Admin\'s setup');
    }
    expect(await created('Bystander sync')).toBe(false);
    await h.post(clickActivity(h.serviceUrl, review, 'Create'));
    const step5 = newestCard(h);
    const bobClicksStep5 = async () => {
      for (const title of ['Run now', 'Request schedule', 'Back', 'Done for now']) {
        await h.post(clickActivity(h.serviceUrl, step5, title, {}, BOB));
        expect(texts(h).pop()).toContain('this is Ada Admin\'s setup');
      }
    };
    await bobClicksStep5();
    expect(await di.listExecutions('Bystander sync')).toHaveLength(0);
    await h.post(clickActivity(h.serviceUrl, step5, 'Run now'));
    expect(await di.listExecutions('Bystander sync')).toHaveLength(1);
    await bobClicksStep5(); // the setup has ended; its step-5 card is still Ada's alone
    expect(await di.listExecutions('Bystander sync')).toHaveLength(1);
    expect(texts(h).filter((t) => t.includes('Asking for a schedule'))).toEqual([]);
  }, 90_000);

  test('three concurrent "Run again", a typed "run" and setup\'s "Run now" start one run (item 3)', async () => {
    await start();
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'One run sync');
    await h.post(clickActivity(h.serviceUrl, review, 'Create'));
    const step5 = newestCard(h);
    // The run goes on (the service answers no status) until every click is answered: the sandbox's run ends within a
    // second, and on a loaded machine Ada's three turns, which her lock runs one after another, came after the bot
    // had seen that run end, so the last rightly started another.
    const sandbox = h.app.sandbox!;
    sandbox.faults.inject({ route: 'listExecutions', status: 503 });
    const [ada1, ada2, bob] = await Promise.all([
      h.post(runAgain(h, ADA, 'One run sync')), h.post(runAgain(h, ADA, 'One run sync')), h.post(runAgain(h, BOB, 'One run sync')),
      h.post(message(h.serviceUrl, 'run One run sync', 'channel', BOB)),
      h.post(clickActivity(h.serviceUrl, step5, 'Run now')),
    ]);
    sandbox.faults.clear();
    expect(await di.listExecutions('One run sync')).toHaveLength(1);
    const answers = [ada1, ada2, bob].map(answerOf);
    expect(answers.filter((a) => a.includes('still going')).length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  test('anyone in the conversation may run a project from its alerts and the status card, not only its owner (docs/security.md)', async () => {
    await start();
    const review = await walkToReview(h.serviceUrl, h.connector, (_, a) => h.post(a), 'Team run sync');
    await h.post(clickActivity(h.serviceUrl, review, 'Create'));
    expect(answerOf(await h.post(runAgain(h, BOB, 'Team run sync')))).toContain('Started a run');
    expect(await di.listExecutions('Team run sync')).toHaveLength(1);
  }, 90_000);
});
