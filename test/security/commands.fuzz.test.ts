import fc from 'fast-check';
import { Activity } from 'botbuilder';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { cardText } from '../helpers/cardWalk';
import { tempDataDir } from '../helpers/harness';
import { BOB } from '../helpers/activities';
import { createSandboxProject } from '../helpers/sandboxProject';
import { FUZZ_RUNS, GENERIC_ERROR, hostileJson, hostileString, memoisedReads } from './arbitraries';
import { InProcessBot, inProcessBot } from './inProcessBot';

const said = (replies: Partial<Activity>[]) =>
  replies.map((a) => a.text ?? (a.attachments ?? []).map((x) => cardText(x.content)).join(' ')).join(' || ');

const COMMAND_WORDS = ['schedule ', 'history ', 'notify all ', 'notify failures for ', 'mute ', 'save ', 'status', 'help', 'set up', 'cancel', 'sign in', 'sign out', ''];
const typed = fc.tuple(fc.constantFrom(...COMMAND_WORDS), hostileString, fc.constantFrom('', ' every 5 minutes', ' as template', ' as a template named x'))
  .map(([word, text, tail]) => `${word}${text}${tail}`);
const ALL_VERBS = Object.values(VERBS);
const cardData = fc.record({
  verb: fc.oneof(fc.constantFrom(...ALL_VERBS), hostileJson),
  projectName: hostileJson, executionId: hostileJson, requestId: hostileJson, comment: hostileJson, command: hostileJson,
  flowId: hostileJson, step: hostileJson, action: hostileJson,
}, { requiredKeys: ['verb'] });

describe('typed commands and card actions take arbitrary input without an unhandled error or a generic apology', () => {
  let sandbox: Sandbox;
  let bot: InProcessBot;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir() });
    bot = inProcessBot(memoisedReads(createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 })));
  });
  afterAll(async () => {
    await bot.close();
    await sandbox.close();
  });
  afterEach(() => { expect(bot.errors).toEqual([]); });

  test('typed commands', async () => {
    await fc.assert(fc.asyncProperty(typed, async (text) => {
      const replies = await bot.turn({ type: 'message', text });
      expect(said(replies)).not.toMatch(GENERIC_ERROR);
      expect(replies.filter((r) => r.type === 'message').length).toBeGreaterThan(0);
      await bot.turn({ type: 'message', text: 'cancel' }); // a started setup would take the next text
    }), { numRuns: FUZZ_RUNS });
  }, 120_000);

  test('Action.Submit of every verb with arbitrary data', async () => {
    await fc.assert(fc.asyncProperty(cardData, async (value) => {
      const replies = await bot.turn({ type: 'message', value });
      expect(said(replies)).not.toMatch(GENERIC_ERROR);
      expect(replies.length).toBeGreaterThan(0);
    }), { numRuns: FUZZ_RUNS });
  }, 120_000);

  test('Action.Execute of every verb with arbitrary data', async () => {
    await fc.assert(fc.asyncProperty(cardData, async ({ verb, ...data }) => {
      const replies = await bot.turn({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } });
      const answer = replies.find((r) => r.type === 'invokeResponse')?.value as { status: number; body?: unknown } | undefined;
      expect(answer?.status).toBeLessThan(500);
      expect(answer?.body).toBeDefined();
      expect(JSON.stringify(answer?.body)).not.toMatch(GENERIC_ERROR);
    }), { numRuns: FUZZ_RUNS });
  }, 120_000);

  test('Run again, clicked any number of times by anyone, through Execute or Submit, starts one run while that run goes (issue 21)', async () => {
    const project = 'Fuzzed run again';
    const di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 });
    await createSandboxProject(di, project);
    let iteration = 0;
    const click = fc.record({ execute: fc.boolean(), bob: fc.boolean(), extra: fc.dictionary(fc.constantFrom('executionId', 'view', 'verb'), hostileJson, { maxKeys: 2 }) });
    await fc.assert(fc.asyncProperty(fc.array(click, { minLength: 1, maxLength: 5 }), async (clicks) => {
      // The last iteration's run ended and the watcher reported it: this iteration starts with no run going.
      while ((await di.listExecutions(project)).some((e) => e.status === 'queued' || e.status === 'running')) await new Promise((r) => setTimeout(r, 20));
      const watch = await bot.watches.get({ projectName: project, conversationId: 'a:fuzz' });
      for (const run of watch?.pendingRuns ?? []) await bot.watches.removePendingRun({ projectName: project, conversationId: 'a:fuzz' }, run.executionId);
      const before = (await di.listExecutions(project)).length;
      // A tenant of its own per iteration: the tenant's budget of 5 runs a minute is not what is under test.
      const conversation = { id: 'a:fuzz', conversationType: 'personal', tenantId: `tenant-${++iteration}` } as Activity['conversation'];
      for (const { execute, bob, extra } of clicks) {
        const data = { ...extra, projectName: project };
        const from = bob ? { from: { id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId } } : {};
        const replies = await bot.turn(execute
          ? { ...from, conversation, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: VERBS.runAgain, data } } }
          : { ...from, conversation, type: 'message', value: { ...data, verb: VERBS.runAgain } });
        expect(said(replies) + JSON.stringify(replies.map((r) => r.value ?? null))).not.toMatch(GENERIC_ERROR);
      }
      expect((await di.listExecutions(project)).length - before).toBe(1);
    }), { numRuns: 40 });
  }, 180_000);
});
