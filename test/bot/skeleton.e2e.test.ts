import { ADA, BOT, CHANNEL, installInTeam, message, teamDeleted, TENANT, uninstallFromTeam } from '../helpers/activities';
import { cardProblems } from '../helpers/cards';
import { Harness, startHarness } from '../helpers/harness';
import { SqliteConversationReferenceStore } from '../../src/storage/sqlite/sqliteConversationReferenceStore';
import { openBotDatabase } from '../../src/storage/database';

const cardsOf = (h: Harness) =>
  h.connector.messages().flatMap((c) => c.activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');

describe('the bot over HTTP in local mode', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.close(); });

  test('health answers 200 with status, version and mode', async () => {
    const res = await fetch(`${h.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: 'test', mode: 'local' });
  });

  test('"help" with an @mention in a Teams channel gets an Adaptive Card 1.5 reply at the serviceUrl', async () => {
    const res = await h.post(message(h.serviceUrl, 'help'));
    expect(res.status).toBe(200);
    const [call] = h.connector.messages();
    expect(call.kind).toBe('reply');
    expect(call.conversationId).toBe(CHANNEL);
    const [card] = cardsOf(h);
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(cardProblems(card.content)).toEqual([]);
    expect(JSON.stringify(card.content)).toContain('set up account sync');
  });

  test.each([['HELP'], ['  help  '], ['what can you do']])('"%s" is understood as help', async (text) => {
    await h.post(message(h.serviceUrl, text, 'personal'));
    expect(cardsOf(h)).toHaveLength(1);
  });

  test('text it does not understand gets a short hint, never silence', async () => {
    await h.post(message(h.serviceUrl, 'make me a sandwich'));
    const [call] = h.connector.messages();
    expect(call.activity.text).toMatch(/don't know "make me a sandwich".*help/);
  });

  test('"sign in" in local mode says none is needed', async () => {
    await h.post(message(h.serviceUrl, 'sign in', 'personal'));
    expect(h.connector.messages()[0].activity.text).toMatch(/No sign-in is needed/);
  });

  test('installing the bot in a team posts the welcome card once', async () => {
    for (const activity of installInTeam(h.serviceUrl)) expect((await h.post(activity)).status).toBe(200);
    await h.post(installInTeam(h.serviceUrl)[1]); // Teams may deliver the same event again
    expect(cardsOf(h)).toHaveLength(1);
    expect(JSON.stringify(cardsOf(h)[0].content)).toContain('mention me first');
  });

  test('every inbound activity saves its conversation reference; uninstall and team deletion remove it', async () => {
    const refs = () => new SqliteConversationReferenceStore(openBotDatabase(h.dataDir)).list();
    await h.post(message(h.serviceUrl, 'help'));
    await h.post(message(h.serviceUrl, 'help', 'personal'));
    const saved = await refs();
    expect(saved.map((r) => r.conversationId).sort()).toEqual([`a:personal-${ADA.id}`, CHANNEL].sort());
    const channel = saved.find((r) => r.conversationId === CHANNEL)!;
    expect(channel).toMatchObject({ tenantId: TENANT, teamId: '19:team-sales@thread.tacv2', serviceUrl: h.serviceUrl });
    expect(channel.reference.bot?.id).toBe(BOT.id);

    await h.post(uninstallFromTeam(h.serviceUrl));
    expect((await refs()).map((r) => r.conversationId)).toEqual([`a:personal-${ADA.id}`]);
    await h.post(message(h.serviceUrl, 'help'));
    await h.post(teamDeleted(h.serviceUrl));
    expect((await refs()).map((r) => r.conversationId)).toEqual([`a:personal-${ADA.id}`]);
  });

  test('bad input is refused with 400 and the next request is still served', async () => {
    expect((await h.postRaw('{"type": "message", ')).status).toBe(400);
    const noConversation: Record<string, unknown> = message(h.serviceUrl, 'help');
    delete noConversation.conversation;
    expect((await h.post(noConversation)).status).toBe(400);
    const noServiceUrl: Record<string, unknown> = message(h.serviceUrl, 'help');
    delete noServiceUrl.serviceUrl;
    const refused = await h.post(noServiceUrl);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('serviceUrl');
    expect(h.connector.calls).toHaveLength(0);

    expect((await h.post({ ...message(h.serviceUrl, ''), type: 'somethingNew' })).status).toBe(200);
    expect(h.connector.calls).toHaveLength(0);
    expect((await h.post(message(h.serviceUrl, 'help'))).status).toBe(200);
    expect(cardsOf(h)).toHaveLength(1);
  });
});

describe('the bot in Teams mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
      INTEGRATOR_BASE_URL: 'https://integrator.invalid/',
    });
  });
  afterAll(async () => { await h.close(); });

  test('a POST without a token answers 401 and nothing is sent', async () => {
    const res = await h.post(message(h.serviceUrl, 'help'));
    expect(res.status).toBe(401);
    expect(h.connector.calls).toHaveLength(0);
  });

  test('a POST with a forged token answers 401 and nothing is sent', async () => {
    const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"me"}').toString('base64url')}.`;
    const res = await h.post(message(h.serviceUrl, 'help'), { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
    expect(h.connector.calls).toHaveLength(0);
  });

  test('health says teams mode', async () => {
    expect(await (await fetch(`${h.app.url}/healthz`)).json()).toMatchObject({ mode: 'teams' });
  });
});
