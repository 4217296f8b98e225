import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { signInNoPromptTook, signInPrompt } from '../../../src/features/setup/signInDialog';
import { ADA } from '../../helpers/activities';

const CONNECTION = 'DataIntegration';

/**
 * `signInNoPromptTook` takes Teams' answer to a sign-in card that no prompt waits for by rebuilding the state an
 * OAuthPrompt keeps while it waits (botbuilder-dialogs 4.23: its attempts, options and expiry), a shape that is
 * botbuilder's own and not part of its API (docs/development.md). A botbuilder(-dialogs) update that changes it must
 * fail here, against the installed package, rather than silently lose the sign-ins finished after a click, "cancel", or
 * the prompt's timeout.
 */
describe('signInNoPromptTook, against the installed botbuilder-dialogs', () => {
  /** A turn of `activity` in Ada's personal chat: whether it signed her in, and the invoke's answer. */
  async function rig() {
    let took: boolean | undefined;
    const adapter = new TestAdapter(async (context: TurnContext) => {
      took = await signInNoPromptTook(context, signInPrompt(CONNECTION));
    }, { channelId: 'msteams' });
    adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
    adapter.conversation.conversation = { id: 'a:no-prompt-test', conversationType: 'personal' } as Activity['conversation'];
    const invoke = async (name: string, value: object) => {
      took = undefined;
      await adapter.receiveActivity({ type: 'invoke', name, value });
      const answers = adapter.activeQueue.splice(0).filter((a) => a.type === 'invokeResponse');
      return { took, answers: answers.map((a) => a.value as { status: number; body?: { id?: string } }) };
    };
    const tokenOfAda = async () => (await adapter.getUserToken(new TurnContext(adapter, { ...adapter.conversation, type: 'message', from: adapter.conversation.user, channelId: 'msteams' }), CONNECTION))?.token;
    return { adapter, invoke, tokenOfAda };
  }

  test('a verifyState (signed in on the card\'s page, its magic code): taken, answered 200, and the token is hers', async () => {
    const { adapter, invoke, tokenOfAda } = await rig();
    adapter.addUserToken(CONNECTION, 'msteams', ADA.id, 'token-by-card', '246810');
    const verified = await invoke('signin/verifyState', { state: '246810' });
    expect(verified).toEqual({ took: true, answers: [{ status: 200 }] });
    expect(await tokenOfAda()).toBe('token-by-card');
  });

  test('a verifyState with a code the token service does not know: not taken, answered 404', async () => {
    const { invoke } = await rig();
    expect(await invoke('signin/verifyState', { state: '000000' })).toEqual({ took: false, answers: [{ status: 404 }] });
  });

  test('a tokenExchange (Teams SSO): taken, answered 200 with its id', async () => {
    const { adapter, invoke } = await rig();
    adapter.addExchangeableToken(CONNECTION, 'msteams', ADA.id, 'teams-sso-token', 'token-by-sso');
    const exchanged = await invoke('signin/tokenExchange', { id: 'exchange-direct', connectionName: CONNECTION, token: 'teams-sso-token' });
    expect(exchanged.took).toBe(true);
    expect(exchanged.answers).toHaveLength(1);
    expect(exchanged.answers[0]).toMatchObject({ status: 200, body: { id: 'exchange-direct' } });
  });

  test('a tokenExchange the token service refuses: not taken, answered 412 (Teams then shows the card\'s Sign in)', async () => {
    const { invoke } = await rig();
    const refused = await invoke('signin/tokenExchange', { id: 'exchange-refused', connectionName: CONNECTION, token: 'unknown-token' });
    expect(refused.took).toBe(false);
    expect(refused.answers.map((a) => a.status)).toEqual([412]);
  });
});
