import { randomUUID } from 'node:crypto';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { signInNeededCard } from '../../src/render/runCards';
import { ADA, BOB, message, submit, TENANT } from '../helpers/activities';
import { cardText } from '../helpers/cardWalk';
import { dateMovedOn } from '../helpers/fakeClock';
import { createSandboxProject } from '../helpers/sandboxProject';
import { startTeamsModeRig, TeamsModeRig } from '../security/teamsModeRig';

/** Past the sign-in card's timeout (5 minutes, signInDialog.ts). */
const SIX_MINUTES = 6 * 60_000;

const PROJECT = 'Ada sales sync';
const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';
const KEY = `${ADA.id}|DataIntegration`;

/**
 * Teams mode: the service refuses a person's stored sign-in (expired or revoked) on a command outside a setup. The bot
 * says 'Type "sign in"'; "sign in" then answered "You are signed in" with the very token the service refuses, and the
 * next try failed again: a dead end. "sign in" now always asks afresh, and the new sign-in is what the service gets.
 */
describe('Teams mode: "sign in" after the service refused the stored sign-in', () => {
  let rig: TeamsModeRig;
  let connector: TeamsModeRig['connector'];

  /** What the bot sent in answer to an activity: each message's text, its card's text, or "oauth card". */
  async function answer(activity: object): Promise<string[]> {
    const before = connector.connector.calls.length;
    expect((await rig.post(activity)).status).toBe(200);
    await rig.app.alerts.idle();
    return connector.connector.calls.slice(before).map((c) => {
      const attachment = c.activity.attachments?.[0];
      if (attachment?.contentType === OAUTH_CARD) return 'oauth card';
      return c.activity.text ?? cardText(attachment?.content);
    });
  }
  const typed = (text: string) => answer(message(connector.serviceUrl, text, 'personal', ADA));
  /**
   * Teams signing her in without a click (SSO), in her personal chat with the bot, the one place Teams does it for a bot:
   * the token service now holds a token the service takes. `id`: the exchange's id (Teams sends one from each client).
   */
  const teamsSignsHerIn = (id: string = randomUUID()) => answer({
    ...message(connector.serviceUrl, '', 'personal', ADA), type: 'invoke', name: 'signin/tokenExchange',
    value: { id, connectionName: 'DataIntegration', token: `teams-sso-token-${randomUUID()}` },
  });
  /**
   * She clicks the card's Sign in button and signs in on its page (in a channel, the only way): the token service keeps the
   * token until the bot asks with the magic code Teams then sends (signin/verifyState). The HTTP answer, and the replies.
   */
  async function sheSignsInOnTheCard(where: 'personal' | 'channel') {
    const code = String(100000 + Math.floor(Math.random() * 900000));
    rig.tokens.state.signedInByCard.set(KEY, { code, token: `card-token-${randomUUID()}` });
    const verify = { ...message(connector.serviceUrl, '', where, ADA), type: 'invoke', name: 'signin/verifyState', value: { state: code } };
    const before = connector.connector.calls.length;
    const response = await rig.post(verify);
    await rig.app.alerts.idle();
    return { status: response.status, replies: connector.connector.calls.slice(before).map((c) => c.activity.text ?? '') };
  }

  beforeAll(async () => {
    rig = await startTeamsModeRig(TENANT, { HTTP_MAX_RETRIES: '0' });
    ({ connector } = rig);
    await createSandboxProject(createDataIntegration({ baseUrls: rig.sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 1 }), PROJECT);
  }, 60_000);
  beforeEach(async () => {
    // Signed in an hour ago; the service refuses that token from the next call on (expired, or revoked by an admin).
    rig.tokens.state.tokens.set(KEY, `old-token-${randomUUID()}`);
    rig.sandbox.faults.inject({ route: 'listProjects', expiredToken: true, times: 1 });
  });
  afterEach(() => { rig.sandbox.faults.clear(); });
  afterAll(async () => { await rig.close(); });

  /** The data of the "Sign in" button on the alert that Ada's sign-in no longer reads her project's runs, as sent in the channel. */
  function alertSignInButton(): Record<string, unknown> {
    const card = signInNeededCard({ projectName: PROJECT, ownerName: ADA.name, ownerId: ADA.aadObjectId!, more: 0 }) as unknown as { actions: Array<{ title: string; data: Record<string, unknown> }> };
    return card.actions.find((a) => a.title === 'Sign in')!.data;
  }

  test('"status" says to sign in; "sign in" asks afresh (not "You are signed in"), and once signed in "status" works', async () => {
    expect((await typed('status')).join('\n')).toMatch(/sign-in to Data Integration is missing or has expired.*Type "sign in"/);
    const signIn = await typed('sign in');
    expect(signIn).toContain('oauth card');
    expect(signIn.join('\n')).not.toMatch(/You are signed in/);
    expect(signIn.join('\n')).toMatch(/Teams may sign you in by itself/); // her personal chat: Teams SSO
    expect(rig.tokens.state.tokens.has(KEY)).toBe(false); // the refused token is not handed out again
    expect((await teamsSignsHerIn()).join('\n')).toMatch(/You are signed in/);
    const status = (await typed('status')).join('\n');
    expect(status).toContain(PROJECT);
    expect(status).not.toMatch(/sign in/i);
  });

  test('"sign in" twice (typed again, or Teams delivering it again): one sign-in still ends it, and the service takes it', async () => {
    await typed('status');
    expect(await typed('sign in')).toContain('oauth card');
    expect(await typed('sign in')).toContain('oauth card');
    expect((await teamsSignsHerIn()).join('\n')).toMatch(/You are signed in/);
    expect((await typed('status')).join('\n')).toContain(PROJECT);
  });

  test('the run alert\'s "Sign-in needed" card: its Sign in button asks for her sign-in, where "status" told her to type "sign in"', async () => {
    const clicked = await answer(submit(connector.serviceUrl, alertSignInButton(), 'channel', ADA));
    expect(clicked).toContain('oauth card');
    // In a channel Teams does no SSO for a bot: she is told to click the card, and signs in on its page.
    expect(clicked.join('\n')).not.toMatch(/may sign you in by itself/);
    expect(clicked.join('\n')).toMatch(/select Sign in on the card/);
    const signedIn = await sheSignsInOnTheCard('channel');
    expect(signedIn.status).toBe(200);
    expect(signedIn.replies.join('\n')).toMatch(/You are signed in/);
    expect(rig.tokens.state.tokens.has(KEY)).toBe(true);
  });

  test('declined, or cancelled: she is told that the runs her sign-in reads are not read until she signs in', async () => {
    await typed('status');
    await typed('sign in');
    const declined = (await typed('not now')).join('\n');
    expect(declined).toMatch(/You are not signed in/);
    expect(declined).toMatch(/Until you sign in, I cannot read the runs of the projects watched with your sign-in/);
    await typed('sign in');
    const cancelled = (await typed('cancel')).join('\n');
    expect(cancelled).toMatch(/Sign-in cancelled.*Until you sign in, I cannot read the runs of the projects watched with your sign-in/);
  });

  test('"cancel", then she finishes the sign-in card anyway (on its page, or Teams SSO): she is signed in, and told so once', async () => {
    await typed('status');
    await typed('sign in');
    await typed('cancel');
    const byCard = await sheSignsInOnTheCard('personal');
    expect(byCard.status).toBe(200);
    expect(byCard.replies.join('\n')).toMatch(/You are signed in/);
    expect((await typed('status')).join('\n')).toContain(PROJECT);
    // Teams delivers the same answer again: she is signed in already, and not told twice.
    const again = await sheSignsInOnTheCard('personal');
    expect(again.replies.join('\n')).not.toMatch(/signed in/);

    await typed('sign in');
    await typed('cancel');
    const id = randomUUID();
    expect((await teamsSignsHerIn(id)).join('\n')).toMatch(/You are signed in/);
    // The same exchange from her other client: answered once.
    expect((await teamsSignsHerIn(id)).join('\n')).not.toMatch(/signed in/);
    expect((await typed('status')).join('\n')).toContain(PROJECT);
  });

  test('she finishes the "sign in" card after it timed out (on its page, or Teams SSO): she is signed in, and told so once', async () => {
    await typed('status');
    await typed('sign in');
    const byCard = await dateMovedOn(SIX_MINUTES, () => sheSignsInOnTheCard('personal'));
    expect(byCard.status).toBe(200);
    expect(byCard.replies.join('\n')).not.toMatch(/not signed in/);
    expect(byCard.replies.join('\n')).toMatch(/You are signed in/);
    expect(rig.tokens.state.tokens.has(KEY)).toBe(true);
    // Teams delivers the same answer again: she is not told twice.
    expect((await sheSignsInOnTheCard('personal')).replies.join('\n')).not.toMatch(/signed in/);
    expect((await typed('status')).join('\n')).toContain(PROJECT);

    await typed('sign in');
    const id = randomUUID();
    const bySso = (await dateMovedOn(SIX_MINUTES, () => teamsSignsHerIn(id))).join('\n');
    expect(bySso).not.toMatch(/not signed in/);
    expect(bySso).toMatch(/You are signed in/);
    expect((await teamsSignsHerIn(id)).join('\n')).not.toMatch(/signed in/);
    expect((await typed('status')).join('\n')).toContain(PROJECT);
  });

  test('the alert\'s Sign in button clicked by someone else in the channel: their own working sign-in is kept, and they are told whose it is', async () => {
    const bobKey = `${BOB.id}|DataIntegration`;
    rig.tokens.state.tokens.set(bobKey, 'bob-working-token');
    const clicked = await answer(submit(connector.serviceUrl, alertSignInButton(), 'channel', BOB));
    // Bob's sign-in reads the runs of the projects he watches elsewhere: dropping it (with no SSO in a channel) paused those.
    expect(rig.tokens.state.tokens.get(bobKey)).toBe('bob-working-token');
    expect(clicked).not.toContain('oauth card');
    expect(clicked.join('\n')).toMatch(/for the person named on its card/);
  });
});
