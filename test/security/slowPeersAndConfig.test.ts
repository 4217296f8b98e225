import net from 'node:net';
import { BotFrameworkAuthentication, ClaimsIdentity, MicrosoftAppCredentials } from 'botframework-connector';
import { UserTokenClientImpl } from 'botframework-connector/lib/auth/userTokenClientImpl';
import { OutboundDeadlineError, withOutboundDeadline } from '../../src/teams/outboundDeadline';
import { message } from '../helpers/activities';
import { ensureBuilt } from '../helpers/build';
import { runBuilt } from '../helpers/processes';
import { startSecurityRig } from './securityRig';

/** A Bot Connector that accepts connections and never answers; it tracks the sockets still open. */
async function hangingPeer() {
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // reads the request (so it sees the client hang up), never answers
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`,
    accepted: () => accepted,
    open: () => open.size,
    close: () => new Promise<void>((resolve) => { open.forEach((s) => s.destroy()); server.close(() => resolve()); }),
  };
}

describe('a Bot Connector that accepts the connection and never answers', () => {
  test('the turn ends within the deadline with a logged error, and its sockets are closed', async () => {
    const peer = await hangingPeer();
    const rig = await startSecurityRig({ BOT_TIMEOUT_MS: '700' });
    try {
      const res = await rig.post(message(peer.serviceUrl, 'help'));
      expect(res.ms).toBeLessThan(5000); // Teams waits 15 s
      expect(res.status).toBe(200);
      expect(peer.accepted()).toBeGreaterThan(0);
      expect(rig.logs()).toMatch(/"name":"OutboundDeadlineError".*"msg":"unhandled error in turn"|unhandled error in turn.*OutboundDeadlineError/);
      const until = Date.now() + 2000;
      while (peer.open() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(peer.open()).toBe(0);
    } finally {
      await rig.close();
      await peer.close();
    }
  });
});

describe('the Bot Framework token service never answers', () => {
  test('a user-token lookup fails within the deadline, and its socket is closed', async () => {
    const peer = await hangingPeer();
    const credentials = new MicrosoftAppCredentials('', ''); // no app id: no bearer token to fetch first
    try {
      const auth = withOutboundDeadline({
        authenticateRequest: async () => ({}),
        createConnectorFactory: () => ({}),
        createUserTokenClient: async () => new UserTokenClientImpl('', credentials, peer.serviceUrl),
      } as unknown as BotFrameworkAuthentication, 500);
      const tokens = await auth.createUserTokenClient(new ClaimsIdentity([]));
      const started = Date.now();
      await expect(tokens.getUserToken('29:ada', 'DataIntegration', 'msteams', '')).rejects.toBeInstanceOf(OutboundDeadlineError);
      expect(Date.now() - started).toBeLessThan(3000);
      const until = Date.now() + 2000;
      while (peer.open() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(peer.accepted()).toBe(1);
      expect(peer.open()).toBe(0);
    } finally {
      await peer.close();
    }
  });
});

describe('configuration that used to pass the check and crash later', () => {
  beforeAll(() => ensureBuilt());

  // Generous: on a busy machine (suites run side by side) loading the bot alone can take seconds.
  const start = (env: Record<string, string>) => runBuilt('src/index.js', { PORT: '0', LOG_LEVEL: 'silent', START_SANDBOX: 'true', SANDBOX_PORT: '0', ...env }, 25_000);
  const teams = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret' };

  test.each<[string, Record<string, string>, RegExp]>([
    ['MultiTenant without a tenant id', { ...teams, MicrosoftAppType: 'MultiTenant' }, /MicrosoftAppType: MultiTenant .*use SingleTenant \(with MicrosoftAppTenantId\) or UserAssignedMSI/],
    ['UserAssignedMSI without a tenant id (botbuilder refuses it only once the adapter is built)', { MicrosoftAppId: teams.MicrosoftAppId, MicrosoftAppType: 'UserAssignedMSI' }, /MicrosoftAppTenantId: required for a UserAssignedMSI bot/],
    ['a tenant id that is not a GUID', { ...teams, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'not a guid!' }, /MicrosoftAppTenantId: must be a GUID/],
  ])('%s: one message, exit 2, no stack trace', async (_name, env, text) => {
    const { code, stderr } = await start(env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Invalid configuration:\n/);
    expect(stderr).toMatch(text);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain(teams.MicrosoftAppPassword);
  }, 30_000);
});
