/**
 * Review of 1b40caa (idle connections kept 75 s for App Service's proxy): Node's server.close() closes the connections
 * idle at that moment only. A connection that carries a turn when SIGTERM comes becomes idle once the turn is answered,
 * and is then kept for the whole keep-alive time (75 s, where Node's default was 5 s), so ProcessLife.close() waits that
 * long in server.close() before it drains, stops the watcher and the housekeeping, and closes the stores: App Service
 * kills the process first (its grace period after SIGTERM is shorter), and "bot stopped" is never logged.
 * Limits scaled down as in slowClients.test.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotAdapter } from '../../src/teams/adapter';
import { createLogger } from '../../src/logger';
import { type ConnectionLimits, createServer, InFlight } from '../../src/http/server';
import { type LifeStatus, ProcessLife } from '../../src/processLife';
import { message } from '../helpers/activities';
import { lifeParts } from '../helpers/lifeParts';

const LIMITS: ConnectionLimits = { headersMs: 400, requestMs: 800, keepAliveMs: 4000, checkEveryMs: 100 };
const TURN_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request over `agent`: its status, its Connection header, and whether it went over a connection kept from the one before. */
function request(port: number, agent: http.Agent, path: string, body?: string): Promise<{ status: number; connection?: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a shutdown that comes during a turn ends soon after the turn is answered, not a keep-alive time later', async () => {
  const inFlight = new InFlight();
  const adapter = { handleActivity: async () => { await sleep(TURN_MS); return { status: 200, body: { ok: true } }; } } as unknown as BotAdapter;
  const closed: string[] = [];
  // Wired as app.ts wires them: the process's life first, the server's health reading its status.
  const life = new ProcessLife(lifeParts({ inFlight, stores: { close: async () => { closed.push('stores'); } } }));
  const server = createServer({
    adapter, logic: async () => undefined, logger: createLogger('silent'), requireAuth: false,
    health: () => ({ status: life.status, version: 'test', mode: 'local' }),
  }, inFlight, LIMITS);
  const port = await life.start({ server, port: 0, host: '127.0.0.1' });
  // The Bot Connector (through App Service's proxy) posts over a kept-alive connection, as in production.
  const agent = new http.Agent({ keepAlive: true });
  try {
    const answered = request(port, agent, '/api/messages', JSON.stringify(message('http://127.0.0.1:9/', 'help')));
    await sleep(100); // the turn is running: SIGTERM
    const started = Date.now();
    const stopping = life.close();
    // Its answer says the connection ends with it: the proxy sends nothing more on it.
    expect(await answered).toEqual({ status: 200, connection: 'close', reused: false });
    await stopping;
    expect(closed).toEqual(['stores']);
    // The turn ends TURN_MS after it began; the shutdown should follow within a second, not keepAliveMs (75 s in production) later.
    expect(Date.now() - started).toBeLessThan(TURN_MS + 1000);
  } finally {
    agent.destroy();
    server.server.closeAllConnections();
  }
}, 20_000);

test('once the process is stopping, every answer closes its connection: the next request comes on a new one', async () => {
  let status: LifeStatus = 'ok';
  const server = createServer({
    adapter: {} as BotAdapter, logic: async () => undefined, logger: createLogger('silent'), requireAuth: false,
    health: () => ({ status, version: 'test', mode: 'local' }),
  }, new InFlight(), LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await request(port, agent, '/healthz')).toEqual({ status: 200, connection: 'keep-alive', reused: false });
    status = 'stopping';
    // The proxy's next request comes on the connection it kept: answered (503: not for new work), and the last on it.
    expect(await request(port, agent, '/healthz')).toEqual({ status: 503, connection: 'close', reused: true });
    expect(await request(port, agent, '/healthz')).toEqual({ status: 503, connection: 'close', reused: false });
  } finally {
    agent.destroy();
    server.server.closeAllConnections();
    server.close();
  }
});
