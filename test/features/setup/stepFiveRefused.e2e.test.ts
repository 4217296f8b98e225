import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import { message } from '../../helpers/activities';
import { cardAction, cardInputs, cardReading, cardText } from '../../helpers/cardWalk';
import { Harness, startHarness } from '../../helpers/harness';
import { createSandboxProject } from '../../helpers/sandboxProject';
import { click, walkToStepFive } from '../../helpers/setupWalk';

/**
 * Step 5 ("Run now" / "Request schedule") is answered only when a run started or a schedule was asked: a refusal
 * (no approver, the tenant's 5 runs a minute) or a failure leaves step 5 open with the problem on its card, and the
 * same click can try again.
 */
const cardsOf = (h: Harness) => h.connector.messages().flatMap((c) => (c.activity.attachments ?? []).map((a) => a.content as Record<string, unknown>));
const textsOf = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

/** The step-5 message as it shows now (its last version: sent, or updated in place). */
function stepFiveNow(h: Harness): Record<string, unknown> {
  const calls = h.connector.messages().filter((c) => /^Step 5 of 5/.test(cardText(c.activity.attachments?.[0]?.content)));
  return calls.at(-1)!.activity.attachments![0].content as Record<string, unknown>;
}

/** Step 5 is still open: its buttons are there, and it shows `problem`. */
function expectOpenWith(h: Harness, problem: RegExp) {
  const card = stepFiveNow(h);
  expect(cardReading(card)).not.toMatch(/Schedule requested|Run of .* started/);
  expect(cardReading(card)).toMatch(problem);
  expect(() => cardAction(card, 'Run now')).not.toThrow();
  expect(() => cardAction(card, 'Request schedule')).not.toThrow();
}

describe('step 5 when the run or the schedule is refused', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('"Request schedule" with nobody to approve says so, sends no approval card, and step 5 stays open with that problem', async () => {
    h = await startHarness(); // no SCHEDULE_APPROVERS: the default
    const stepFive = await walkToStepFive(h, 'No approver sync');
    const before = textsOf(h).length;
    await click(h, stepFive, 'Request schedule', { every: '10', unit: 'minutes' });
    expect(textsOf(h).slice(before).join(' || ')).toMatch(/Nobody can approve this schedule/);
    expect(cardsOf(h).filter((c) => /Schedule approval needed/.test(cardText(c)))).toEqual([]);
    expectOpenWith(h, /Nobody can approve this schedule/);
    expect(cardInputs(stepFiveNow(h))).toMatchObject({ every: '10', unit: 'minutes' }); // what was asked for is kept
  }, 60_000);

  test('"Request schedule" the service fails: step 5 stays open with the problem, and "Request schedule" again asks', async () => {
    h = await startHarness({ SCHEDULE_APPROVERS: '00000000-0000-0000-0000-00000000b0b0' });
    const stepFive = await walkToStepFive(h, 'Failing ask sync');
    h.app.sandbox!.faults.inject({ route: 'listProjects', status: 503, times: 1000 });
    const before = textsOf(h).length;
    await click(h, stepFive, 'Request schedule', { every: '10', unit: 'minutes' });
    expect(textsOf(h).slice(before).join(' || ')).toMatch(/could not ask for a schedule/i);
    expectOpenWith(h, /could not ask for a schedule/i);

    h.app.sandbox!.faults.clear();
    await click(h, stepFiveNow(h), 'Request schedule', { every: '10', unit: 'minutes' });
    expect(cardsOf(h).filter((c) => /Schedule approval needed/.test(cardText(c)))).toHaveLength(1);
    expect(cardReading(stepFiveNow(h))).toMatch(/Schedule requested/);
  }, 60_000);

  /** Step 5 of a new project, with the tenant's five runs of this minute already started by `run`. */
  async function gatedStepFive(name: string) {
    h = await startHarness();
    const stepFive = await walkToStepFive(h, name);
    const di = createDataIntegration({ baseUrls: h.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
    for (let i = 1; i <= 5; i++) {
      await createSandboxProject(di, `Other sync ${i}`);
      await h.post(message(h.serviceUrl, `run Other sync ${i}`));
    }
    const before = textsOf(h).length;
    await click(h, stepFive, 'Run now');
    expect(textsOf(h).slice(before).join(' || ')).toMatch(new RegExp(`I did not start "${name}"`));
    expect(await di.listExecutions(name)).toHaveLength(0);
    return stepFive;
  }

  test('"Run now" over the tenant\'s 5 runs a minute: step 5 stays open with the limit\'s words, not "run started"', async () => {
    await gatedStepFive('Gated run sync');
    expectOpenWith(h, /I did not start "Gated run sync"/);
  }, 90_000);

  test('"Run now" over the limit, clicked again (a retry, or Teams delivering it again): told the limit again, not "already started a run"', async () => {
    const stepFive = await gatedStepFive('Gated again sync');
    const again = textsOf(h).length;
    await click(h, stepFive, 'Run now');
    const said = textsOf(h).slice(again).join(' || ');
    expect(said).not.toMatch(/already started a run/);
    expect(said).toMatch(/I did not start "Gated again sync"/);
  }, 90_000);
});
