import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { BotAdapter } from '../../src/teams/adapter';
import { createLogger } from '../../src/logger';
import { ConnectionLimits, createServer, InFlight } from '../../src/http/server';
import { message } from '../helpers/activities';
import { messagePostHead, slowClient } from '../helpers/slowClient';

/** Limits scaled down so that each case takes about a second; the release's own are checked in releaseEdge.e2e.test.ts. */
const LIMITS: ConnectionLimits = { headersMs: 400, requestMs: 800, keepAliveMs: 3000, checkEveryMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real HTTP edge on loopback, with a stand-in for the adapter: each turn takes `turnMs`, and is counted. */
async function edge(turnMs = 0) {
  const turns: string[] = [];
  const adapter = {
    async handleActivity(_auth: string, body: { id?: string }) {
      turns.push(body.id ?? '');
      await sleep(turnMs);
      return { status: 200, body: { ok: true } };
    },
  } as unknown as BotAdapter;
  const server: Server = createServer({
    adapter, logic: async () => undefined, logger: createLogger('silent'), requireAuth: false,
    health: () => ({ status: 'ok', version: 'test', mode: 'local' }),
  }, new InFlight(), LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    turns,
    close: () => new Promise<void>((resolve) => { server.server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** One request over `agent`, with whether it went over a connection kept from the one before. */
function request(port: number, agent: http.Agent, path: string, body?: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('slow clients are cut off, slow turns are not (limits scaled down)', () => {
  let e: Awaited<ReturnType<typeof edge>>;
  afterEach(async () => { await e.close(); });

  test('headers sent a byte at a time: 408 and closed at the headers limit, long before the headers are done', async () => {
    e = await edge();
    const seen = await slowClient(e.port, { slow: messagePostHead('{}'), everyMs: 50, giveUpMs: 10_000 });
    expect(seen.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(seen.sentBytes).toBeLessThan(seen.totalBytes);
    expect(seen.heldMs).toBeGreaterThanOrEqual(LIMITS.headersMs - 50);
    expect(seen.heldMs).toBeLessThan(5000);
  });

  test('a connection that sends nothing is closed at the headers limit', async () => {
    e = await edge();
    const seen = await slowClient(e.port, { slow: '', everyMs: 1000, giveUpMs: 10_000 });
    expect(seen.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(seen.heldMs).toBeLessThan(5000);
  });

  test('a body sent a byte at a time: closed at the request limit, and no turn runs', async () => {
    e = await edge();
    const body = JSON.stringify(message('http://127.0.0.1:9/', 'help'));
    const seen = await slowClient(e.port, { head: messagePostHead(body), slow: body, everyMs: 50, giveUpMs: 10_000 });
    expect(seen.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(seen.sentBytes).toBeLessThan(seen.totalBytes);
    expect(seen.heldMs).toBeGreaterThanOrEqual(LIMITS.requestMs - 50);
    expect(seen.heldMs).toBeLessThan(5000);
    expect(e.turns).toEqual([]);
  });

  test('a turn that takes three times the request limit is answered: the clock stops once the request is read', async () => {
    e = await edge(3 * LIMITS.requestMs);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const started = Date.now();
    const answer = await request(e.port, agent, '/api/messages', JSON.stringify(message('http://127.0.0.1:9/', 'help')));
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * LIMITS.requestMs - 50);
    expect(e.turns).toHaveLength(1);
    agent.destroy();
  });

  test('an idle connection is kept for the keep-alive time, past the headers and request limits, and then closed', async () => {
    e = await edge();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await request(e.port, agent, '/healthz')).toEqual({ status: 200, reused: false });
    // Idle longer than both request limits (they do not count between requests); Node's client keeps a connection 1 s
    // less than the server's Keep-Alive header says, so the idle time stays under keepAliveMs - 1000.
    await sleep(LIMITS.requestMs + 300);
    expect(await request(e.port, agent, '/healthz')).toEqual({ status: 200, reused: true });
    agent.destroy();
    // An idle connection of its own, timed from its first answer: the server closes it, but not before keepAliveMs.
    const idle = await slowClient(e.port, { head: 'GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n', slow: '', everyMs: 1000, giveUpMs: 10_000 });
    expect(idle.statusLine).toBe('HTTP/1.1 200 OK');
    expect(idle.heldMs).toBeGreaterThanOrEqual(LIMITS.keepAliveMs - 50);
    expect(idle.heldMs).toBeLessThan(LIMITS.keepAliveMs + 5000);
  });
});
