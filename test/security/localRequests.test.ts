import { base, message } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from './securityRig';

const FORM = 'application/x-www-form-urlencoded';

describe('local mode: what a web page or a careless client can send', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); });
  afterAll(async () => { await rig.close(); });
  beforeEach(() => { rig.connector.calls.splice(0); });

  const refused: Array<[string, string, string, Record<string, string>, number]> = [
    ['a cross-site form post', '/api/messages', 'type=message&serviceUrl=http%3A%2F%2F127.0.0.1%3A9%2F&conversation[id]=x&text=status',
      { 'content-type': FORM, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403],
    ['a form post without Origin', '/api/messages', 'type=message&text=status', { 'content-type': FORM }, 415],
    ['JSON sent as text/plain (no CORS preflight)', '/api/messages', '{"type":"message","text":"status"}', { 'content-type': 'text/plain' }, 415],
    ['JSON from another origin', '/api/messages', '{}', { origin: 'https://evil.example' }, 403],
    ['JSON from an opaque origin', '/api/messages', '{}', { origin: 'null' }, 403],
    ['JSON marked cross-site by the browser', '/api/messages', '{}', { 'sec-fetch-site': 'cross-site' }, 403],
    ["a cross-site post to the playground's own endpoint", '/playground/activity', '{"kind":"message","text":"status"}', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403],
    ['malformed JSON', '/api/messages', '{"type": "message", ', {}, 400],
    ['an oversized body (2 MB)', '/api/messages', JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) }), {}, 413],
  ];

  test.each(refused)('%s is refused and nothing is sent', async (_name, path, body, headers, status) => {
    const res = await rig.postRaw(path, body, headers);
    expect(res.status).toBe(status);
    expect(res.body).toMatch(/"(error|message)":"\w/); // a reason, never an empty body
    expect(rig.connector.calls).toHaveLength(0);
  });

  test('a serviceUrl off this machine is refused: the bot posts nowhere', async () => {
    const res = await rig.post(message('http://203.0.113.7:3978/', 'status'));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toMatch(/replies only to a serviceUrl on this machine/);
    expect(rig.logs()).toContain('activity refused');
  });

  test('the same page origin on loopback, as the playground posts, is served', async () => {
    const origin = rig.app.url;
    const res = await rig.post(message(rig.serviceUrl, 'help'), { origin, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(rig.connector.messages()).toHaveLength(1);
  });

  test('a burst of 500 requests, good and bad, leaves the bot healthy', async () => {
    const requests = Array.from({ length: 500 }, (_, i) => (i % 5 === 0
      ? rig.postRaw('/api/messages', '{"type":', {})
      : rig.post(message(rig.serviceUrl, i % 5 === 1 ? 'make me a sandwich' : 'help'))));
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(400);
    expect(statuses.filter((s) => s === 400)).toHaveLength(100);
    expect(rig.connector.messages()).toHaveLength(400);
    const health = await fetch(`${rig.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(rig.logs()).not.toContain('unhandled error in turn');
  }, 60_000);

  const invoke = (name: string, value: unknown) => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name, value });

  test.each<[string, unknown, number, RegExp]>([
    ['adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'launchMissiles', data: {} } }, 400, /card is outdated/],
    ['adaptiveCard/action', {}, 400, /no Action.Execute/],
    ['task/fetch', { data: {} }, 200, /no dialogs or message extensions/],
    ['composeExtension/query', { commandId: 'search' }, 200, /no dialogs or message extensions/],
    ['something/unheardOf', {}, 501, /does not handle .*something\/unheardOf/],
  ])('an unhandled %s invoke gets an explicit, logged answer', async (name, value, status, text) => {
    const res = await rig.post(invoke(name, value));
    expect(res.status).toBe(status);
    expect(res.body).toMatch(text);
    expect(rig.connector.calls).toHaveLength(0);
    expect(rig.logs()).toMatch(/unknown verb refused|without an Action.Execute refused|invoke not handled/);
  });

  test.each([['no from', undefined], ['a from without an id', { name: 'Nobody' }], ['a from that is not an object', 'ada']])('an activity with %s is refused (400) and answered nowhere (issue 21, item 5)', async (_what, from) => {
    const res = await rig.post({ ...message(rig.serviceUrl, 'status'), from });
    expect(res.status).toBe(400);
    expect(res.body).toContain('from.id');
    expect(rig.connector.calls).toHaveLength(0);
    expect(rig.logs()).toContain('activity refused');
  });

  test('an activity of a type the bot does not know gets 200, no answer, and a log line with its type (issue 21, item 5)', async () => {
    const res = await rig.post({ ...base(rig.serviceUrl, 'channel'), type: 'holographicPing' });
    expect(res.status).toBe(200);
    expect(rig.connector.calls).toHaveLength(0);
    expect(rig.logs()).toMatch(/"type":"holographicPing".*activity type not handled/);
  });
});
