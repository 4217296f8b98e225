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
import { ADA, BOB } from '../../helpers/activities';
import { cardAction, cardInputs, cardText } from '../../helpers/cardWalk';
import { dateMovedOn } from '../../helpers/fakeClock';
import { tempDataDir } from '../../helpers/harness';
import { SANDBOX_DEADLINE_MS } from '../../helpers/setupDialogRig';

/** Past the sign-in card's timeout (5 minutes, signInDialog.ts). */
const SIX_MINUTES = 6 * 60_000;

const CONNECTION = 'DataIntegration';

/**
 * Teams mode: "set up account sync" typed while a sign-in card waits (the setup's own, or the "sign in" command's).
 * The waiting OAuth prompt takes any text as declining, so the command must not be handed to it.
 */
describe('"set up account sync" typed while a sign-in card waits (Teams mode)', () => {
  let sandbox: Sandbox;
  afterEach(async () => { await sandbox.close(); });

  /** `conversationType`: where Ada talks to the bot, her personal chat unless said. */
  async function rig(conversationType: 'personal' | 'channel' | 'groupChat' = 'personal') {
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
    adapter.conversation.conversation = { id: 'a:sign-in-test', conversationType } as Activity['conversation'];
    const turn = async (text: string) => {
      await adapter.receiveActivity({ type: 'message', text });
      return adapter.activeQueue.splice(0);
    };
    /** A click on the newest card's button `title`, with the card's inputs. */
    // A card shown again in place of the clicked one is an update: it is what the person sees next, as a reply is.
    const updates: Partial<Activity>[] = [];
    adapter.use(async (context, next) => {
      context.onUpdateActivity(async (_c, activity, update) => { updates.push(activity); await update(); });
      await next();
    });
    const click = async (cards: Partial<Activity>[], title: string) => {
      const card = cards.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1);
      await adapter.receiveActivity({ type: 'message', value: { ...cardInputs(card), ...cardAction(card, title) } });
      return [...updates.splice(0), ...adapter.activeQueue.splice(0)];
    };
    /** Teams' answer to a sign-in card (`signin/…`), and what the bot sent back (its invoke answer left out). */
    const invoke = async (name: string, value: object) => {
      await adapter.receiveActivity({ type: 'invoke', name, value });
      return adapter.activeQueue.splice(0).filter((a) => a.type !== 'invokeResponse');
    };
    return { turn, click, invoke, adapter };
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

  test('a sign-in that expires during the setup: the card says to type "sign in", and "sign in" then signs in, not "finish the setup first"', async () => {
    const { turn, click, adapter } = await rig();
    adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-of-ada');
    const step1 = await turn('set up account sync');
    const step2 = await click(step1, 'Continue');
    expect(shown(step2)).not.toMatch(/not answering/);
    // An hour later her sign-in has expired: the service refuses her token.
    sandbox.faults.inject({ route: /./, status: 401 });
    const refused = await click(step2, 'Next');
    expect(refused.map((a) => cardText(a.attachments?.[0]?.content)).join(' ')).toMatch(/sign-in .* has expired.*Type "sign in", then try again/);
    const reply = await turn('sign in');
    expect(shown(reply)).not.toMatch(/Finish or cancel/);
    expect(reply.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
  });

  /** Ada at step 2 of her setup, the name "Ada sales sync" typed, when the service refuses her token (expired): "Next" shows so. */
  async function refusedAtStepTwo(where?: Parameters<typeof rig>[0]) {
    const r = await rig(where);
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-of-ada');
    const step2 = await r.click(await r.turn('set up account sync'), 'Continue');
    expect(cardsOf(step2)).toContain('Step 2 of 5');
    sandbox.faults.inject({ route: /./, status: 401 });
    const refused = await r.click(typedOn(step2, { name: 'Ada sales sync' }), 'Next');
    expect(cardsOf(refused)).toMatch(/has expired/);
    return { ...r, refused };
  }

  /** Her sign-in done again (the token service has a fresh token, the service takes it again): what she sees next. */
  async function signedInAgainBy(r: Awaited<ReturnType<typeof rig>>, code: string) {
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada', code);
    sandbox.faults.clear();
    return r.turn(code);
  }

  test('signed in again during the setup: it goes on at the same step, with what she had typed, and on from there', async () => {
    const r = await refusedAtStepTwo();
    const prompt = await r.turn('sign in');
    expect(shown(prompt)).toMatch(/Sign in again with the card below\. Your setup waits at step 2 of 5 \(connection set\)/);
    expect(prompt.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    const again = await signedInAgainBy(r, '123456');
    expect(shown(again)).toMatch(/You are signed in again\. Your setup goes on at step 2 of 5 \(connection set\), with everything you entered/);
    const card = again.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1);
    expect(cardText(card)).toContain('Step 2 of 5');
    expect(cardInputs(card).name).toBe('Ada sales sync');
    // The draft is the setup's own: Next goes on to step 3.
    expect(cardsOf(await r.click(again, 'Next'))).toContain('Step 3 of 5');
  });

  test.each(['channel', 'groupChat'] as const)('in a %s, where Teams does no SSO for a bot, she is told to select Sign in on the card', async (where) => {
    const r = await refusedAtStepTwo(where);
    const prompt = shown(await r.turn('sign in'));
    expect(prompt).toMatch(/Your setup waits at step 2 of 5/);
    expect(prompt).toMatch(/select Sign in on the card/);
    expect(prompt).not.toMatch(/may sign you in by itself/);
  });

  test('in her personal chat she is told that Teams may sign her in by itself', async () => {
    const r = await refusedAtStepTwo();
    expect(shown(await r.turn('sign in'))).toMatch(/Teams may sign you in by itself/);
  });

  test('a click on the form while the sign-in again waits, then she finishes that sign-in card: she is signed in, and the setup goes on', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    // The click is the form's (the sign-in card is set aside): the service still refuses her, and says so.
    expect(cardsOf(await r.click(r.refused, 'Try again'))).toMatch(/has expired/);
    // She then signs in on the card's page: Teams sends the magic code (signin/verifyState).
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada', '424242');
    sandbox.faults.clear();
    const late = await r.invoke('signin/verifyState', { state: '424242' });
    expect(shown(late)).toMatch(/You are signed in again\. Your setup goes on at step 2 of 5 \(connection set\), with everything you entered/);
    const card = late.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1);
    expect(cardText(card)).toContain('Step 2 of 5');
    expect(cardInputs(card).name).toBe('Ada sales sync');
    // Teams delivers that answer again: nothing more happens.
    expect(shown(await r.invoke('signin/verifyState', { state: '424242' }))).not.toMatch(/signed in|Step/);
    expect(cardsOf(await r.click(late, 'Next'))).toContain('Step 3 of 5');
  });

  test('a click on the form while the sign-in again waits, then Teams signs her in (SSO): she is signed in, and the setup goes on', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    await r.click(r.refused, 'Try again');
    r.adapter.addExchangeableToken(CONNECTION, 'msteams', ADA.id, 'teams-sso-token', 'fresh-token-of-ada');
    sandbox.faults.clear();
    const late = await r.invoke('signin/tokenExchange', { id: 'exchange-late', connectionName: CONNECTION, token: 'teams-sso-token' });
    expect(shown(late)).toMatch(/You are signed in again/);
    expect(cardsOf(late)).toContain('Step 2 of 5');
  });

  test('in a channel, Bob clicks "Sign in again" on Ada\'s refused setup card: his own working sign-in is kept, and he is told the button is not his', async () => {
    const r = await refusedAtStepTwo('channel');
    r.adapter.addUserToken(CONNECTION, 'msteams', BOB.id, 'token-of-bob');
    const card = r.refused.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1);
    const bob = { id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId } as Activity['from'];
    await r.adapter.receiveActivity({ type: 'message', from: bob, value: { ...cardInputs(card), ...cardAction(card, 'Sign in again') } });
    const reply = r.adapter.activeQueue.splice(0);
    expect(reply.map((a) => a.attachments?.[0]?.contentType)).not.toContain(OAUTH_CARD);
    expect(shown(reply)).toMatch(/That Sign in button is for the person named on its card/);
    const asBob = new TurnContext(r.adapter, { ...r.adapter.conversation, type: 'message', from: bob, channelId: 'msteams' });
    expect((await r.adapter.getUserToken(asBob, CONNECTION))?.token).toBe('token-of-bob');
  });

  test('the refused card\'s "Sign in again" button does what typing "sign in" does; other failures show no such button', async () => {
    const r = await refusedAtStepTwo();
    const prompt = await r.click(r.refused, 'Sign in again');
    expect(shown(prompt)).toMatch(/Your setup waits at step 2 of 5/);
    expect(prompt.map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    expect(cardsOf(await signedInAgainBy(r, '123456'))).toContain('Step 2 of 5');
    sandbox.faults.inject({ route: /./, status: 503 });
    // Text while the setup waits shows its card again: the service is down this time.
    const down = await r.turn('where am I');
    expect(cardsOf(down)).toMatch(/not answering.*Try again/);
    expect(cardsOf(down)).not.toMatch(/Sign in again/);
  });

  test('Teams signs her in again without a click (SSO token exchange): the setup goes on at the same step', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    r.adapter.addExchangeableToken(CONNECTION, 'msteams', ADA.id, 'teams-sso-token', 'fresh-token-of-ada');
    sandbox.faults.clear();
    await r.adapter.receiveActivity({ type: 'invoke', name: 'signin/tokenExchange', value: { id: 'exchange-1', connectionName: CONNECTION, token: 'teams-sso-token' } });
    const again = r.adapter.activeQueue.splice(0);
    expect(shown(again)).toMatch(/You are signed in again/);
    expect(cardsOf(again)).toContain('Step 2 of 5');
  });

  test('declining the sign-in again keeps the setup: she is told, and "sign in" can try again', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    const declined = shown(await r.turn('later'));
    expect(declined).toMatch(/You are not signed in again .*Your setup still waits at step 2 of 5 \(connection set\) with everything you entered: type "sign in" to try again/);
    expect(declined).toMatch(/Until you sign in, I cannot read the runs of the projects watched with your sign-in/);
    expect(declined).not.toMatch(/setup stopped|cancelled/i);
    expect(shown(await r.turn('sign in'))).toContain(OAUTH_CARD);
    const again = await signedInAgainBy(r, '654321');
    expect(cardInputs(again.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1)).name).toBe('Ada sales sync');
  });

  test('"set up account sync" typed while the sign-in again waits: the setup in progress is shown, not a new one', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    sandbox.faults.clear();
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada');
    const open = await r.turn('set up account sync');
    expect(shown(open)).toMatch(/setup in progress/);
    expect(cardsOf(open)).toContain('Step 2 of 5');
    expect(cardsOf(open)).not.toContain('Step 1 of 5');
  });

  test('a sign-in again that took too long, or a click on the setup\'s card meanwhile, does not end the setup', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    // A click on "Try again" while the sign-in card waits is the form's: the service still refuses, and says so.
    const refusedAgain = await r.click(r.refused, 'Try again');
    expect(cardsOf(refusedAgain)).toMatch(/has expired/);
    expect(shown(refusedAgain)).not.toMatch(/setup stopped/);
    await r.turn('sign in');
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada', '111111');
    // The code typed as a message long after: a message is no answer from the card, and the prompt's timeout holds.
    expect(shown(await dateMovedOn(SIX_MINUTES, () => r.turn('111111')))).toMatch(/took too long.*still waits at step 2 of 5/);
    await r.turn('sign in');
    expect(cardsOf(await signedInAgainBy(r, '222222'))).toContain('Step 2 of 5');
  });

  test('she finishes the sign-in again card after it timed out (on its page): she is signed in, told once, and the setup goes on at its step', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada', '313131');
    sandbox.faults.clear();
    const late = await dateMovedOn(SIX_MINUTES, () => r.invoke('signin/verifyState', { state: '313131' }));
    expect(shown(late)).not.toMatch(/took too long/);
    expect(shown(late)).toMatch(/You are signed in again\. Your setup goes on at step 2 of 5 \(connection set\), with everything you entered/);
    const card = late.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1);
    expect(cardText(card)).toContain('Step 2 of 5');
    expect(cardInputs(card).name).toBe('Ada sales sync');
    // Teams delivers that answer again: nothing more is said.
    expect(shown(await r.invoke('signin/verifyState', { state: '313131' }))).not.toMatch(/signed in|Step|took too long/);
    expect(cardsOf(await r.click(late, 'Next'))).toContain('Step 3 of 5');
  });

  test('Teams signs her in (SSO) after the sign-in again card timed out: she is signed in, and the setup goes on at its step', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    r.adapter.addExchangeableToken(CONNECTION, 'msteams', ADA.id, 'teams-sso-token', 'fresh-token-of-ada');
    sandbox.faults.clear();
    const late = await dateMovedOn(SIX_MINUTES, () => r.invoke('signin/tokenExchange', { id: 'exchange-timed-out', connectionName: CONNECTION, token: 'teams-sso-token' }));
    expect(shown(late)).not.toMatch(/took too long/);
    expect(shown(late)).toMatch(/You are signed in again/);
    expect(cardsOf(late)).toContain('Step 2 of 5');
  });

  test('Teams sends the first sign-in card\'s SSO exchange again later (another of her clients, past its claim) while she is signed in at step 2: nothing is said, no form again', async () => {
    const { turn, click, invoke, adapter } = await rig();
    expect((await turn('set up account sync')).map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    adapter.addExchangeableToken(CONNECTION, 'msteams', ADA.id, 'teams-sso-token', 'token-of-ada');
    const exchange = { id: 'exchange-first', connectionName: CONNECTION, token: 'teams-sso-token' };
    const step1 = await invoke('signin/tokenExchange', exchange);
    expect(cardsOf(step1)).toContain('Step 1 of 5');
    expect(cardsOf(await click(step1, 'Continue'))).toContain('Step 2 of 5');
    // The token service keeps what it exchanged (the test adapter does not).
    adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-of-ada');
    await adapter.receiveActivity({ type: 'invoke', name: 'signin/tokenExchange', value: exchange });
    const again = adapter.activeQueue.splice(0);
    expect(shown(again.filter((a) => a.type !== 'invokeResponse'))).toBe('');
    // Teams waits for one answer to its invoke: exactly one, and a success (no error shown in her client).
    expect(again.filter((a) => a.type === 'invokeResponse').map((a) => (a.value as { status: number }).status)).toEqual([200]);
  });

  test('the setup\'s first sign-in card finished after it timed out: the setup goes on to step 1, not "the setup stopped"', async () => {
    const { turn, invoke, adapter } = await rig();
    expect((await turn('set up account sync')).map((a) => a.attachments?.[0]?.contentType)).toContain(OAUTH_CARD);
    adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-of-ada', '515151');
    const late = await dateMovedOn(SIX_MINUTES, () => invoke('signin/verifyState', { state: '515151' }));
    expect(shown(late)).not.toMatch(/setup stopped/);
    expect(cardsOf(late)).toContain('Step 1 of 5');
  });

  const SIGN_IN_WAITS = /Until you sign in, I cannot read the runs of the projects watched with your sign-in/;

  test('"cancel" while the sign-in again waits (her sign-in was dropped for it): the summary says the runs read with it wait for her sign-in', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    const cancelled = shown(await r.turn('cancel'));
    expect(cancelled).toMatch(/Setup cancelled\. Nothing was created\./);
    expect(cancelled).toMatch(SIGN_IN_WAITS);
  });

  test('the form\'s Cancel after a click set the sign-in again aside: the summary says so too', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    const refusedAgain = await r.click(r.refused, 'Try again');
    expect(shown(await r.click(refusedAgain, 'Cancel'))).toMatch(SIGN_IN_WAITS);
  });

  test('"cancel" with her sign-in kept (none asked again): no word about her sign-in', async () => {
    const r = await refusedAtStepTwo();
    const cancelled = shown(await r.turn('cancel'));
    expect(cancelled).toMatch(/Setup cancelled/);
    expect(cancelled).not.toMatch(SIGN_IN_WAITS);
  });

  test('"cancel" in the channel after she signed in again in her personal chat meanwhile: no word that her runs wait for a sign-in', async () => {
    const r = await refusedAtStepTwo('channel');
    await r.turn('sign in');
    // In her personal chat with the bot (another conversation, its own dialogs), she types "sign in" and finishes its card.
    const personal = { id: 'a:personal-chat', conversationType: 'personal' } as Activity['conversation'];
    await r.adapter.receiveActivity({ type: 'message', text: 'sign in', conversation: personal });
    r.adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'fresh-token-of-ada', '424242');
    sandbox.faults.clear();
    await r.adapter.receiveActivity({ type: 'message', text: '424242', conversation: personal });
    expect(shown(r.adapter.activeQueue.splice(0))).toMatch(/You are signed in/);
    const cancelled = shown(await r.turn('cancel'));
    expect(cancelled).toMatch(/Setup cancelled/);
    expect(cancelled).not.toMatch(SIGN_IN_WAITS);
  });

  test('"cancel" once signed in again: no word about her sign-in', async () => {
    const r = await refusedAtStepTwo();
    await r.turn('sign in');
    await signedInAgainBy(r, '777777');
    const cancelled = shown(await r.turn('cancel'));
    expect(cancelled).toMatch(/Setup cancelled/);
    expect(cancelled).not.toMatch(SIGN_IN_WAITS);
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

/** The text of every card among the replies. */
const cardsOf = (replies: Partial<Activity>[]) => replies.map((a) => cardText(a.attachments?.[0]?.content)).join(' ');

/** The replies with their newest card's inputs changed, as if typed before the click. */
function typedOn(replies: Partial<Activity>[], typed: Record<string, string>): Partial<Activity>[] {
  const card = JSON.parse(JSON.stringify(replies.map((a) => a.attachments?.[0]?.content).filter(Boolean).at(-1))) as unknown;
  const set = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(set);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (typeof n.id === 'string' && n.id in typed) n.value = typed[n.id];
      Object.values(n).forEach(set);
    }
  };
  set(card);
  return [{ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }];
}

/** What a turn's replies show, text or the kind of card, one after the other. */
const shown = (replies: Partial<Activity>[]) => replies.map((a) => a.text ?? a.attachments?.[0]?.contentType).join(' || ');
