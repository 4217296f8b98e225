import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request that went through the proxy: where to, and the Authorization header it carried. */
export interface ProxiedRequest { method: string; path: string; authorization?: string }

/**
 * A loopback HTTP proxy in front of `target` (an origin) that records each request's path and Authorization
 * header, then forwards it as it is. The Host header stays the proxy's, so a service that builds links from it
 * (the sandbox's Dataverse URLs) sends the client back through the proxy. `faults.refuse` answers in the service's
 * place.
 */
export async function startRecordingProxy(target: string) {
  const requests: ProxiedRequest[] = [];
  /** Set by a test: the answer to give instead of forwarding (a service refusing), or undefined to forward. */
  const faults: { refuse?: (request: ProxiedRequest) => { status: number; body: unknown } | undefined } = {};
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization };
    requests.push(request);
    const refusal = faults.refuse?.(request);
    if (refusal) {
      req.resume();
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(refusal.body));
      return;
    }
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    faults,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
