import { ADA, CHANNEL, execute } from '../helpers/activities';
import { cardText } from '../helpers/cardWalk';
import { type Harness, startHarness } from '../helpers/harness';
import { createSandboxProject } from '../helpers/sandboxProject';
import { until } from '../helpers/tryOut';
import { createDataIntegration, type DataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';

/** What the bot answered an invoke with: a card (`value` is the card) or a text Teams shows. */
type InvokeAnswer = { statusCode: number; type: string; value: unknown };

/** Clicks a button of a card in the channel; the HTTP answer Teams would get. */
async function click(h: Harness, verb: string, data: Record<string, unknown>, locale = 'en-US') {
  const res = await h.post({ ...execute(h.serviceUrl, ADA, verb, data, 'clicked-card'), locale });
  return { status: res.status, answer: JSON.parse(res.body) as InvokeAnswer };
}

const textsIn = (h: Harness) => h.connector.messages(CHANNEL).map((c) => c.activity.text ?? '');

async function startWithProject(invokeAnswerMs?: number): Promise<{ h: Harness; di: DataIntegration }> {
  const h = await startHarness({}, undefined, { alerts: { invokeAnswerMs, retry: { initialDelayMs: 10, maxDelayMs: 50 } }, sandbox: { minuteMs: 60_000, seed: { accounts: 20 } } });
  const di = createDataIntegration({ baseUrls: h.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 10_000, maxRetries: 1 });
  await createSandboxProject(di, 'AccSync');
  await di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
  return { h, di };
}

// Teams waits only seconds for an Action.Execute's answer, then tells the clicker it failed although the action goes on.
describe('a card action the service answers slowly', () => {
  let h: Harness, di: DataIntegration;
  beforeEach(async () => ({ h, di } = await startWithProject(150)));
  afterEach(() => h.close());

  test('Pause is answered within the bound with "working on it", then the outcome is posted in the conversation', async () => {
    h.app.sandbox!.faults.inject({ route: 'pauseSchedule', delayMs: 3000, times: 1 });

    const { status, answer } = await click(h, VERBS.pauseSchedule, { projectName: 'AccSync', view: 'status' });

    // The action could not have finished (the service holds it 3 s): the answer came at the bound, and says so.
    expect(status).toBe(200);
    expect(answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/^Working on it: I'll post the result here/) });
    await until('the outcome posted in the channel', () => textsIn(h).some((t) => t.startsWith('Paused the schedule of "AccSync"')), 15_000);
    await h.app.alerts.idle();
    expect(await di.getSchedule('AccSync')).toMatchObject({ paused: true });
    expect(textsIn(h).filter((t) => t.startsWith('Paused the schedule'))).toHaveLength(1);
  }, 30_000);

  test('Run again starts the run, posts its running card and then its reply', async () => {
    h.app.sandbox!.faults.inject({ route: 'runProject', delayMs: 3000, times: 1 });

    const { answer } = await click(h, VERBS.runAgain, { projectName: 'AccSync' }, 'de-DE');

    expect(answer.value).toMatch(/^Ich bin dran: Das Ergebnis schreibe ich hier/);
    await until('the run\'s reply posted in the channel', () => textsIn(h).some((t) => t.startsWith('Ein Lauf von "AccSync" ist gestartet')), 15_000);
    await h.app.alerts.idle();
    expect(await di.listExecutions('AccSync')).toHaveLength(1);
    const cards = h.connector.messages(CHANNEL).filter((c) => c.activity.attachments?.length).map((c) => cardText(c.activity.attachments![0]!.content));
    expect(cards.some((t) => t.includes('AccSync'))).toBe(true); // the running card, from the action itself
  }, 30_000);
});

describe('a card action the service answers at once', () => {
  let h: Harness;
  beforeEach(async () => ({ h } = await startWithProject()));
  afterEach(() => h.close());

  test('Pause answers with the redrawn card, as before, and posts nothing more', async () => {
    const before = h.connector.messages(CHANNEL).length;
    const { answer } = await click(h, VERBS.pauseSchedule, { projectName: 'AccSync', view: 'status' });

    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toMatch(/every hour, paused/);
    await h.app.alerts.idle();
    expect(h.connector.messages(CHANNEL).slice(before)).toEqual([]);
  }, 30_000);
});
