import http from 'node:http';
import zlib from 'node:zlib';
import { message } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';
import { listeningUrl, startNode } from '../helpers/processes';
import { SecurityRig, startSecurityRig } from './securityRig';

/** A valid activity followed by `mb` MiB of JSON white space, gzipped: a few KB on the wire per inflated MiB. */
function gzipped(activity: object, mb: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const gz = zlib.createGzip({ level: 9 });
    const out: Buffer[] = [];
    gz.on('data', (d: Buffer) => out.push(d));
    gz.on('end', () => resolve(Buffer.concat(out)));
    gz.write(JSON.stringify(activity));
    const spaces = Buffer.alloc(1 << 20, 0x20);
    for (let i = 0; i < mb; i++) gz.write(spaces);
    gz.end();
  });
}

/** A raw POST with Content-Encoding as given (fetch would inflate or refuse it); the status, or the socket's error. */
function post(url: string, body: Buffer, headers: Record<string, string>): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (e) => resolve(String((e as NodeJS.ErrnoException).code ?? e.message)));
    req.end(body);
  });
}

describe('a compressed request body (Bot Framework never sends one)', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); }, 60_000);
  afterAll(async () => { await rig.close(); });

  test('20 KB of gzip that inflate to 20 MB are refused with 415 before they are read, and the bot goes on answering', async () => {
    const body = await gzipped(message(rig.serviceUrl, 'help', 'personal'), 20);
    expect(body.length).toBeLessThan(1024 * 1024);
    expect(await post(rig.app.url, body, {})).toBe(415);
    expect((await fetch(`${rig.app.url}/healthz`)).status).toBe(200);
  });
});

describe('a gzip bomb against the release entry in Teams mode', () => {
  test('700 KB on the wire (700 MB inflated), without a token and with one, are refused and the process keeps running', async () => {
    const proc = startNode('src/index.js', {
      PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'info', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
      INTEGRATOR_BASE_URL: 'https://integrator.invalid/', BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys',
    });
    try {
      const url = await listeningUrl(proc, 60_000);
      const body = await gzipped({ type: 'message' }, 700);
      expect(body.length).toBeLessThan(1024 * 1024);
      expect(await post(url, body, {})).toBe(401); // nobody's body is read before they show a token
      expect(await post(url, body, { authorization: 'Bearer not-checked-yet' })).toBe(415);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(proc.child.exitCode).toBeNull();
    } finally {
      await proc.kill();
    }
  }, 120_000);
});
