import fc from 'fast-check';
import { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { GuidedSetupDialog } from '../../src/dialogs/guidedSetupDialog';
import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { Sandbox, startSandbox } from '../../src/sandbox';
import { SetupStep } from '../../src/setup/draft';
import { cardAction, cardInputs, cardText } from '../helpers/cardWalk';
import { tempDataDir } from '../helpers/harness';
import { FUZZ_RUNS, GENERIC_ERROR, hostileJson, memoisedReads } from './arbitraries';

type Card = Record<string, unknown>;

/** A setup dialog driven in-process, as a person clicking its cards. */
class SetupDriver {
  client!: DialogTestClient;
  card!: Card;
  private walks = 0;
  constructor(private readonly di: DataIntegration) {}

  async send(activity: Partial<Activity> | string): Promise<string> {
    const said: string[] = [];
    for (let reply = await this.client.sendActivity(activity); reply; reply = this.client.getNextReply()) {
      const card = reply.attachments?.[0]?.content as Card | undefined;
      if (card) this.card = card;
      said.push(reply.text ?? (card ? cardText(card) : ''));
    }
    return said.join(' || ');
  }

  step(): SetupStep | undefined {
    const found = JSON.stringify(this.card).match(/"step":"(\w+)"/);
    return found?.[1] as SetupStep | undefined;
  }

  click(title: string, changes: Record<string, unknown> = {}): Promise<string> {
    return this.send({ type: 'message', value: { ...cardInputs(this.card), ...changes, ...cardAction(this.card, title) } });
  }

  /** A new flow, walked to `step` with valid inputs. */
  async walkTo(step: SetupStep): Promise<void> {
    this.client = new DialogTestClient('msteams', new GuidedSetupDialog({
      dataIntegration: async () => this.di,
      startRun: async (context, name) => { await context.sendActivity(`run of ${name} started`); },
      requestSchedule: async (context, name) => { await context.sendActivity(`schedule of ${name} requested`); },
      projectCreated: async () => undefined,
    }));
    await this.send('set up account sync');
    const path: Array<[SetupStep, string, Record<string, unknown>]> = [
      ['prerequisites', 'Continue', {}], ['connectionSet', 'Next', { mode: 'new' }],
      ['project', 'Next', { name: `Fuzzed accounts ${++this.walks}`, consent: 'true' }], ['review', 'Create', {}],
    ];
    for (const [at, title, changes] of path) {
      if (this.step() === step) return;
      expect(this.step()).toBe(at);
      await this.click(title, changes);
    }
    expect(this.step()).toBe(step);
  }
}

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
    await fc.assert(fc.asyncProperty(inputs, button(step), fc.boolean(), async (values, clicked, valid) => {
      // A valid submission moves the flow on: one Back returns to the card under test, a run or schedule ends it.
      if (driver.step() !== step && driver.step() !== undefined && BUTTONS[step] && JSON.stringify(driver.card).includes('"title":"Back"')) await driver.click('Back');
      if (driver.step() !== step) await driver.walkTo(step);
      const titles = JSON.stringify(driver.card);
      const title = [clicked, ...BUTTONS[step]].find((b) => titles.includes(`"title":"${b}"`));
      if (!title) throw new Error(`the ${step} card lost its buttons: ${titles.slice(0, 300)}`);
      const action = cardAction(driver.card, title);
      // Mostly the card's own button data; sometimes that data is fuzzed as well (a forged or stale card).
      const shown = step === 'runOrSchedule' ? {} : cardInputs(driver.card);
      const value = valid ? { ...shown, ...values, ...action } : { ...action, ...values };
      const said = await driver.send({ type: 'message', value });
      expect(said).not.toMatch(GENERIC_ERROR);
      expect(said.length).toBeGreaterThan(0);
      if (driver.step() !== step) advanced++;
    }), { numRuns: FUZZ_RUNS });
    expect(advanced).toBeLessThan(FUZZ_RUNS);
  }, 120_000);
});
