import restify from 'restify';
import { LocalConnector } from '../../dev/playground/localConnector';

describe('the local connector\'s options for a long-running playground', () => {
  let server: restify.Server;
  let url: string;
  let connector: LocalConnector;

  beforeAll(async () => {
    server = restify.createServer();
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    connector = new LocalConnector({ keepCalls: 2, personalChatOf: (m) => (m.id === '29:ada' ? 'a:chat-ada' : undefined) });
    connector.addMembers({ id: '29:ada', name: 'Ada', aadObjectId: 'aad-ada' });
    connector.mount(server, '/_connector');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/_connector/v3/conversations`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('keeps only the last calls but tells every one', async () => {
    const told: string[] = [];
    connector.on('call', (c) => told.push(String(c.activity.text)));
    for (const text of ['one', 'two', 'three']) expect((await post('/c/activities', { type: 'message', text })).status).toBe(201);
    expect(told).toEqual(['one', 'two', 'three']);
    expect(connector.calls.map((c) => c.activity.text)).toEqual(['two', 'three']);
  });

  test('a one-to-one conversation with a known member is their chat; with anyone else a new one', async () => {
    expect(await (await post('', { members: [{ id: 'aad-ada' }] })).json()).toMatchObject({ id: 'a:chat-ada' });
    expect(((await (await post('', { members: [{ id: '29:zed' }] })).json()) as { id: string }).id).toMatch(/^a:[0-9a-f-]{36}$/);
  });

  test('a body that is not an activity is refused', async () => {
    expect((await post('/c/activities', ['not', 'an', 'activity'])).status).toBe(400);
  });
});
