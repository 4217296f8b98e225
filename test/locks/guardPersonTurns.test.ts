import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { guardPersonTurns } from '../../src/locks/guardPersonTurns';
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
});
