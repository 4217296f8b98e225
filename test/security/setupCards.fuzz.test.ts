import fc from 'fast-check';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { SetupStep } from '../../src/setupRules/draft';
import { cardAction, cardInputs } from '../helpers/cardWalk';
import { tempDataDir } from '../helpers/harness';
import { FUZZ_RUNS, GENERIC_ERROR, hostileJson, memoisedReads } from './arbitraries';
import { SetupDriver } from './setupDriver';

const BUTTONS: Record<SetupStep, string[]> = {
  prerequisites: ['Continue', 'Check again'],
  connectionSet: ['Next'],
  project: ['Next'],
  review: ['Create', 'Continue', 'Try again'],
  runOrSchedule: ['Request schedule', 'Run now'],
};

/** The button clicked; "Run now" ends the flow (the next case walks a new one, which is slow), so it is rare. */
const button = (step: SetupStep) => step === 'runOrSchedule'
  ? fc.oneof({ arbitrary: fc.constant('Request schedule'), weight: 49 }, { arbitrary: fc.constant('Run now'), weight: 1 })
  : fc.constantFrom(...BUTTONS[step]);

describe('every setup card takes arbitrary submissions without an unhandled error or a generic apology', () => {
  let sandbox: Sandbox;
  let driver: SetupDriver;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir() });
    driver = new SetupDriver(memoisedReads(createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 })));
  });
  afterAll(async () => { await sandbox.close(); });

  test.each<SetupStep>(['prerequisites', 'connectionSet', 'project', 'review', 'runOrSchedule'])('the %s card', async (step) => {
    await driver.walkTo(step);
    const inputNames = Object.keys(cardInputs(driver.card));
    const inputs = fc.dictionary(fc.constantFrom(...inputNames, 'extra', 'verb', '__proto__'), hostileJson, { maxKeys: inputNames.length + 2 });
    let advanced = 0;
    await fc.assert(fc.asyncProperty(inputs, button(step), fc.integer({ min: 0, max: 3 }).map((n) => n === 0), async (values, clicked, fromCard) => {
      // A valid submission moves the flow on: one Back returns to the card under test, a run or schedule ends it.
      if (driver.step() !== step && driver.cardJson.includes('"title":"Back"')) await driver.click('Back');
      if (driver.step() !== step) await driver.walkTo(step);
      const title = [clicked, ...BUTTONS[step]].find((b) => driver.cardJson.includes(`"title":"${b}"`));
      if (!title) throw new Error(`the ${step} card lost its buttons: ${driver.cardJson.slice(0, 300)}`);
      const action = cardAction(driver.card, title);
      // A quarter of the cases send what the card shows with fuzzed fields over it and its button data intact;
      // the rest send fuzzed fields over the button data (a forged or stale card).
      const shown = step === 'runOrSchedule' ? {} : cardInputs(driver.card);
      const value = fromCard ? { ...shown, ...values, ...action } : { ...action, ...values };
      const said = await driver.send({ type: 'message', value });
      // Plain checks, not expect(): they run 10,000 times.
      if (GENERIC_ERROR.test(said) || said.length === 0) throw new Error(`the ${step} card answered: ${said.slice(0, 300)}`);
      if (driver.step() !== step) advanced++;
    }), { numRuns: FUZZ_RUNS });
    expect(advanced).toBeLessThan(FUZZ_RUNS);
  }, 120_000);

  test('a reply to an earlier card, whatever step and button its data names, changes nothing (issue 21)', async () => {
    await driver.walkTo('review');
    const earlier = driver.sentCards.filter((c) => c.step !== 'review');
    const reviewJson = driver.cardJson;
    const flowId = (cardAction(driver.card, 'Create') as { flowId: string }).flowId;
    const steps = ['prerequisites', 'connectionSet', 'project', 'review', 'runOrSchedule'] as const;
    await fc.assert(fc.asyncProperty(fc.constantFrom(...earlier), fc.constantFrom(...steps), fc.constantFrom('next', 'back', 'refresh', 'run', 'schedule'), fc.dictionary(fc.string({ maxLength: 10 }), hostileJson, { maxKeys: 3 }),
      async (card, step, action, extra) => {
        fc.pre(step !== card.step); // the data rewritten: it names another step than the card showed
        const said = await driver.send({ type: 'message', replyToId: card.id, value: { ...extra, verb: 'setup', flowId, step, action } });
        if (!/earlier step/.test(said)) throw new Error(`a reply to the ${card.step} card as ${step}/${action} answered: ${said.slice(0, 300)}`);
        if (driver.shown.some((s) => s.activity.attachments)) throw new Error(`a reply to the ${card.step} card as ${step}/${action} changed a card`);
      }), { numRuns: 300 });
    expect(driver.cardJson).toBe(reviewJson);
    expect(await driver.click('Create')).toBeDefined();
    expect(driver.step()).toBe('runOrSchedule'); // the flow was where it was: its own card still creates the project
  }, 120_000);
});
