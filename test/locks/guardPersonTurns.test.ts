import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { guardPersonTurns, LOCK_TRIES } from '../../src/locks/guardPersonTurns';
import { INVOKE_ANSWER_MS } from '../../src/teams/cardActions';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { DataIntegrationBot } from '../../src/teams/dataIntegrationBot';
import { ADA, BOT } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';

/** A gate the test opens: the first card click waits on it while holding the person's lock. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

describe('one person\'s turns and the person lock', () => {
  const stores = openSqliteStateStores(tempDataDir());
  afterAll(() => stores.close());

  test('"help" answers while the person\'s slow click still runs; a second click waits for the first', async () => {
    const bot = new DataIntegrationBot(stores.refs);
    const slow = gate();
    const clicks: string[] = [];
    bot.onCardVerb('slow', async (context) => {
      const n = String((context.activity.value as { n: number }).n);
      clicks.push(`started ${n}`);
      if (n === '1') await slow.wait;
      clicks.push(`finished ${n}`);
      await context.sendActivity(`click ${n} done`);
    });
    const logic = guardPersonTurns(stores.flowLocks, createLogger('silent'), (context) => bot.run(context), (context) => bot.needsNoPersonLock(context));
    const sent: Array<Partial<Activity>> = [];
    const adapter = new TestAdapter(async (context: TurnContext) => logic(context), { channelId: 'msteams' });
    adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
    adapter.conversation.conversation = { id: 'a:lock-test', conversationType: 'personal' } as Activity['conversation'];
    const turn = async (activity: Partial<Activity>) => {
      await adapter.receiveActivity(activity);
      sent.push(...adapter.activeQueue.splice(0));
    };

    const first = turn({ type: 'message', value: { verb: 'slow', n: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = turn({ type: 'message', value: { verb: 'slow', n: 2 } });
    await turn({ type: 'message', text: 'help' });
    // The welcome card came while click 1 holds the lock, and click 2 has not started.
    expect(sent.some((a) => a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
    expect(clicks).toEqual(['started 1']);

    slow.open();
    await Promise.all([first, second]);
    expect(clicks).toEqual(['started 1', 'finished 1', 'started 2', 'finished 2']);
  });

  test('only typed commands that read no state skip the lock: help, status and history, never a card or free text', () => {
    const bot = new DataIntegrationBot(stores.refs);
    bot.onTextCommand('status', async () => undefined, { stateless: true }).onTextCommand('setup', async () => undefined);
    const skips = (activity: Partial<Activity>) => bot.needsNoPersonLock({ activity: { recipient: BOT, ...activity }, turnState: new Map() } as unknown as TurnContext);
    expect(skips({ type: 'message', text: 'help' })).toBe(true);
    expect(skips({ type: 'message', text: 'status' })).toBe(true);
    expect(skips({ type: 'message', text: 'setup' })).toBe(false);
    expect(skips({ type: 'message', text: 'my project name' })).toBe(false);
    expect(skips({ type: 'message', value: { verb: 'command', command: 'help' } })).toBe(false);
    expect(skips({ type: 'invoke', name: 'adaptiveCard/action' })).toBe(false);
  });

  // Teams shows a card's clicker "Unable to reach app" after a few seconds, and a card action is answered within
  // INVOKE_ANSWER_MS of its arrival, the wait for the lock included: a click waits for the lock less than that.
  test('while the person\'s previous turn holds their lock, a card click is answered busy within the 4 s a click is answered in; a message waits longer', async () => {
    const waited: Record<string, { ms: number; tries: number; answer?: unknown }> = {};
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      for (const [kind, activity] of [
        ['click', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'runAgain', data: {} } } }],
        ['message', { type: 'message', value: { verb: 'runAgain' } }],
      ] as Array<[string, Partial<Activity>]>) {
        let tries = 0;
        const held = { tryAcquire: async () => { tries++; return false; }, release: async () => undefined, pruneExpired: async () => 0 };
        const logic = guardPersonTurns(held, createLogger('silent'), async () => { throw new Error('ran without the lock'); });
        const adapter = new TestAdapter(async (context: TurnContext) => logic(context), { channelId: 'msteams' });
        adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
        adapter.conversation.conversation = { id: 'a:lock-wait', conversationType: 'personal' } as Activity['conversation'];
        const started = Date.now();
        let done = false;
        const turn = adapter.receiveActivity(activity).then(() => { done = true; });
        while (!done) await jest.advanceTimersByTimeAsync(10);
        await turn;
        waited[kind] = { ms: Date.now() - started, tries, answer: adapter.activeQueue.splice(0).map((a) => a.value ?? a.text)[0] };
      }
    } finally {
      jest.useRealTimers();
    }
    expect(waited.click!.ms).toBeLessThan(INVOKE_ANSWER_MS);
    expect(waited.click!.answer).toMatchObject({ status: 200, body: { value: expect.stringMatching(/already working on your previous action/) } });
    expect(waited.message!.ms).toBeGreaterThan(waited.click!.ms);
    expect(waited.message!.tries).toBeGreaterThan(LOCK_TRIES.invoke);
  });
});
