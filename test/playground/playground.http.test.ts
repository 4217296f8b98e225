import { Harness, startHarness } from '../helpers/harness';
import { TranscriptEntry } from '../../dev/playground/transcript';
import { PLAYGROUND_CHANNEL } from '../../dev/playground/people';
import { openEventStream } from './eventStreamClient';

const TEAMS_MODE = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
  INTEGRATOR_BASE_URL: 'https://integrator.invalid/',
};

function postJson(url: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const entry = (data: unknown) => data as TranscriptEntry;

describe('the playground over HTTP in local mode', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); }, 60_000);
  afterAll(async () => { await h.close(); });

  test('serves the page with a content security policy, its script and Microsoft\'s card renderer, and nothing else', async () => {
    const page = await fetch(`${h.app.url}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<label for="message"');
    for (const file of ['playground.js', 'playground.css', 'hostConfig.json', 'adaptivecards.min.js']) {
      expect((await fetch(`${h.app.url}/playground/static/${file}`)).status).toBe(200);
    }
    expect((await fetch(`${h.app.url}/playground/static/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${h.app.url}/playground/static/index.ts`)).status).toBe(404);
  });

  test('typed text reaches the bot as Teams sends it; the reply comes back on the event stream, history first, then live', async () => {
    const res = await postJson(`${h.app.url}/playground/activity`, { kind: 'message', conversation: 'channel', person: 'requester', text: 'help' });
    expect(res.status).toBe(200);
    const { activity } = (await res.json()) as { activity: { id: string } };

    const stream = await openEventStream(`${h.app.url}/playground/events`);
    try {
      const hello = await stream.next((e) => e.event === 'hello');
      expect(hello.data).toMatchObject({ serviceUrl: `${h.app.url}/_connector/`, channel: PLAYGROUND_CHANNEL });
      const thread = `${PLAYGROUND_CHANNEL.id};messageid=${activity.id}`;
      await stream.next((e) => entry(e.data).kind === 'user' && entry(e.data).activityId === activity.id);
      const reply = entry((await stream.next((e) => entry(e.data).kind === 'reply')).data);
      expect(reply).toMatchObject({ conversationId: thread, replyToId: activity.id });
      expect(reply.activity.attachments).toEqual([expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive' })]);

      await postJson(`${h.app.url}/playground/activity`, { kind: 'message', conversation: 'personal', person: 'approver', text: 'help' });
      const live = entry((await stream.next((e) => entry(e.data).conversationId === 'a:playground-chat-approver' && entry(e.data).kind !== 'user')).data);
      expect(live.activity.attachments).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  test('an Action.Execute becomes an adaptiveCard/action invoke, and the page gets the bot\'s invoke answer', async () => {
    const res = await postJson(`${h.app.url}/playground/activity`, {
      kind: 'execute', conversation: 'channel', person: 'approver', threadId: 'root-1', replyToId: 'card-1', verb: 'someVerb', data: { a: 1 }, trigger: 'manual',
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { status: number; activity: unknown };
    expect(answer.activity).toMatchObject({ type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card-1', value: { action: { type: 'Action.Execute', verb: 'someVerb', data: { a: 1 } }, trigger: 'manual' } });
    expect(typeof answer.status).toBe('number');
  });

  test('a request the page could not have sent is refused, naming what is wrong', async () => {
    const bad = await postJson(`${h.app.url}/playground/activity`, { kind: 'message', conversation: 'lobby', person: 'requester', text: '' });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: string };
    expect(error).toContain('conversation');
    expect(error).toContain('text');
    expect((await postJson(`${h.app.url}/playground/activity`, { kind: 'execute', conversation: 'personal', person: 'approver' })).status).toBe(400);
    const notJson = await fetch(`${h.app.url}/playground/activity`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'help' });
    expect(notJson.status).toBe(415);
  });

  test('the Bot Connector routes are on the bot\'s own server under /_connector and know the two people', async () => {
    const conversations = `${h.app.url}/_connector/v3/conversations`;
    const members = (await (await fetch(`${conversations}/${encodeURIComponent(PLAYGROUND_CHANNEL.id)}/members`)).json()) as Array<{ name: string }>;
    expect(members.map((m) => m.name)).toEqual(['Ada Admin', 'Bob Approver']);
    // Teams also accepts an Azure AD object id where a member id is expected.
    const bob = (await (await fetch(`${conversations}/x/members/b0b0b0b0-0000-4000-8000-00000000b0b0`)).json()) as { id: string };
    expect(bob.id).toBe('29:playground-bob');
    // Starting a one-to-one conversation with a known person answers that person's personal chat.
    const created = (await (await postJson(conversations, { isGroup: false, members: [{ id: '29:playground-bob' }], bot: { id: 'b' } })).json()) as { id: string };
    expect(created.id).toBe('a:playground-chat-approver');
  });
});

describe('the playground in Teams mode', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(TEAMS_MODE); }, 60_000);
  afterAll(async () => { await h.close(); });

  test.each([
    ['GET', '/playground'],
    ['GET', '/playground/static/playground.js'],
    ['GET', '/playground/events'],
    ['POST', '/playground/activity'],
    ['POST', '/_connector/v3/conversations'],
    ['POST', `/_connector/v3/conversations/${encodeURIComponent(PLAYGROUND_CHANNEL.id)}/activities`],
    ['PUT', '/_connector/v3/conversations/c/activities/a'],
    ['GET', '/_connector/v3/conversations/c/members'],
  ])('%s %s answers 404', async (method, path) => {
    const res = await fetch(`${h.app.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    expect(res.status).toBe(404);
  });
});
