import { Activity, CloudAdapter, MemoryStorage, PrivateConversationState, TestAdapter, TurnContext, UserState } from 'botbuilder';
import { FinishedSetups } from '../../../src/features/setup/finishedSetups';
import { registerSetup } from '../../../src/features/setup/registerSetup';
import { registerSignIn } from '../../../src/features/setup/registerSignIn';
import { SetupDialog } from '../../../src/features/setup/setupDialog';
import { SignInDialog } from '../../../src/features/setup/signInDialog';
import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import type { ConversationReferenceStore } from '../../../src/notifications/conversationReferenceStore';
import { DataIntegrationBot } from '../../../src/teams/dataIntegrationBot';
import { Sandbox, startSandbox } from '../../../dev/sandbox';
import { ADA } from '../../helpers/activities';
import { cardText } from '../../helpers/cardWalk';
import { tempDataDir } from '../../helpers/harness';
import { SANDBOX_DEADLINE_MS } from '../../helpers/setupDialogRig';

const CONNECTION = 'DataIntegration';

/**
 * Teams mode: "set up account sync" typed while a sign-in card waits (the setup's own, or the "sign in" command's).
 * The waiting OAuth prompt takes any text as declining, so the command must not be handed to it.
 */
describe('"set up account sync" typed while a sign-in card waits (Teams mode)', () => {
  let sandbox: Sandbox;
  afterEach(async () => { await sandbox.close(); });

  async function rig() {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir() });
    const di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: SANDBOX_DEADLINE_MS, maxRetries: 0 });
    const storage = new MemoryStorage();
    const privateState = new PrivateConversationState(storage);
    const userState = new UserState(storage);
    const refs = { markWelcomed: async () => false } as unknown as ConversationReferenceStore;
    const bot = new DataIntegrationBot(refs);
    const reject = async () => { throw new Error('not in this test'); };
    const services = { dataIntegration: async () => di, startRun: reject, requestSchedule: reject, watches: { fromTurn: async () => undefined } };
    const setup = registerSetup(bot, { state: privateState, userState, setup: new SetupDialog(services, CONNECTION), signIn: new SignInDialog(CONNECTION), finished: new FinishedSetups(privateState, services) });
    registerSignIn(bot, setup, {} as CloudAdapter, CONNECTION);
    const adapter = new TestAdapter(async (context: TurnContext) => {
      await bot.run(context);
      await privateState.saveChanges(context);
      await userState.saveChanges(context);
    }, { channelId: 'msteams' });
    adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
    adapter.conversation.conversation = { id: 'a:sign-in-test', conversationType: 'personal' } as Activity['conversation'];
    const turn = async (text: string) => {
      await adapter.receiveActivity({ type: 'message', text });
      return adapter.activeQueue.splice(0);
    };
    return { turn, adapter };
  }

  test('typed again while the setup\'s sign-in card waits: the sign-in card comes again, and the setup does not stop as declined', async () => {
    const { turn } = await rig();
    const first = await turn('set up account sync');
    expect(first.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    const again = await turn('set up account sync');
    expect(shown(again)).not.toMatch(/so the setup stopped/);
    expect(shown(again)).toMatch(/setup in progress/);
    expect(again.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
  });

  test('typed again after signing in elsewhere meanwhile: the setup goes on to step 1', async () => {
    const { turn, adapter } = await rig();
    await turn('set up account sync');
    adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-of-ada');
    const again = await turn('set up account sync');
    expect(again.map((a) => cardText(a.attachments?.[0]?.content)).join(' ')).toContain('Step 1 of 5');
  });

  test('typed while the "sign in" command\'s card waits: no false "setup in progress"; the setup starts with its own sign-in card', async () => {
    const { turn } = await rig();
    const card = await turn('sign in');
    expect(card.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    const reply = await turn('set up account sync');
    expect(shown(reply)).not.toMatch(/You already have a setup in progress|Finish or cancel/);
    expect(reply.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
  });

  test('"cancel" while only the "sign in" command\'s card waits: the sign-in is cancelled, no setup is said to be', async () => {
    const { turn } = await rig();
    await turn('sign in');
    const reply = shown(await turn('cancel'));
    expect(reply).toMatch(/Sign-in cancelled/);
    expect(reply).not.toMatch(/Setup cancelled/);
  });
});

const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';

/** What a turn's replies show, text or the kind of card, one after the other. */
const shown = (replies: Partial<Activity>[]) => replies.map((a) => a.text ?? a.attachments?.[0]?.contentType).join(' || ');
