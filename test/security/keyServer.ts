import { KeyObject } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** OpenID metadata and a JWKS with one key, on loopback; `up` switches it off and on. */
export async function startKeyServer(publicKey: KeyObject, kid: string) {
  const state = { up: true, hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    if (!state.up) { res.statusCode = 503; res.end(); return; }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = req.url === '/jwks'
      ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, endorsements: ['msteams'] }] }
      : { jwks_uri: `${base}/jwks` };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/meta`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
