import { TestAdapter } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { SetupDialog } from '../../../src/features/setup/setupDialog';
import { SignInDialog } from '../../../src/features/setup/signInDialog';
import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import { Sandbox, startSandbox } from '../../../dev/sandbox';
import { cardText } from '../../helpers/cardWalk';
import { tempDataDir } from '../../helpers/harness';
import { SANDBOX_DEADLINE_MS } from '../../helpers/setupDialogRig';

const CONNECTION = 'DataIntegration';

describe('SetupDialog in Teams mode: sign-in through the OAuth connection first', () => {
  let sandbox: Sandbox;
  let adapter: TestAdapter;
  let client: DialogTestClient;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir() });
    const di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: SANDBOX_DEADLINE_MS, maxRetries: 0 });
    const reject = async () => { throw new Error('not in this test'); };
    const dialog = new SetupDialog({ dataIntegration: async () => di, startRun: reject, requestSchedule: reject, watches: { fromTurn: async () => undefined } }, CONNECTION);
    client = new DialogTestClient('msteams', dialog);
    // DialogTestClient wires its own TestAdapter only when given a channel id; tokens are added on that one.
    adapter = (client as unknown as { _testAdapter: TestAdapter })._testAdapter;
  });
  afterEach(async () => { await sandbox.close(); });

  test('a person who is not signed in gets a sign-in card; one who declines is told what the bot cannot do', async () => {
    const signIn = await client.sendActivity('set up account sync');
    expect(signIn.attachments[0].contentType).toBe('application/vnd.microsoft.card.oauth');
    expect(JSON.stringify(signIn.attachments[0].content)).toContain(CONNECTION);
    const declined = await client.sendActivity('no thanks');
    expect(declined.text).toMatch(/Without signing in I cannot read your environments/);
  });

  test('a German person\'s setup begins with the sign-in card in German', async () => {
    const signIn = await client.sendActivity({ type: 'message', text: 'set up account sync', locale: 'de-DE' });
    expect(signIn.attachments[0].content).toMatchObject({ text: expect.stringMatching(/^Melde dich an, damit ich/), buttons: [{ title: 'Anmelden' }] });
  });

  test('after signing in (the magic code), the setup starts at the prerequisites', async () => {
    await client.sendActivity('set up account sync');
    const { channelId, user } = adapter.conversation;
    adapter.addUserToken(CONNECTION, channelId, user!.id, 'user-token', '123456');
    let reply = await client.sendActivity('123456');
    while (reply && !reply.attachments?.length) reply = client.getNextReply();
    expect(cardText(reply.attachments[0].content)).toContain('Step 1 of 5');
  });
});

describe('SignInDialog ("sign in")', () => {
  test('shows the sign-in card, then confirms once the magic code arrives', async () => {
    const client = new DialogTestClient('msteams', new SignInDialog(CONNECTION));
    const adapter = (client as unknown as { _testAdapter: TestAdapter })._testAdapter;
    const card = await client.sendActivity('sign in');
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.oauth');
    adapter.addUserToken(CONNECTION, adapter.conversation.channelId, adapter.conversation.user!.id, 'user-token', '654321');
    expect((await client.sendActivity('654321')).text).toMatch(/You are signed in/);
  });

  test.each([
    ['de-DE', 'Anmelden', 'Melde dich an, damit ich deine Umgebungen lesen und in Data Integration als du arbeiten kann.'],
    ['de-AT', 'Anmelden', 'Melde dich an, damit ich deine Umgebungen lesen und in Data Integration als du arbeiten kann.'],
    ['fr-FR', 'Sign in', 'Sign in so that I can read your environments and work in Data Integration as you.'],
  ])('the sign-in card speaks the person\'s language (%s)', async (locale, button, text) => {
    const client = new DialogTestClient('msteams', new SignInDialog(CONNECTION));
    const card = await client.sendActivity({ type: 'message', text: 'sign in', locale });
    const content = card.attachments[0].content as { text: string; buttons: Array<{ title: string }> };
    expect(content.text).toBe(text);
    expect(content.buttons[0].title).toBe(button);
  });

  test('typing something else instead says nothing can be done without it', async () => {
    const client = new DialogTestClient('msteams', new SignInDialog(CONNECTION));
    await client.sendActivity('sign in');
    expect((await client.sendActivity('later')).text).toMatch(/not signed in/);
  });
});
