import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a loopback service received: what a test checks of where a token went. */
export interface SeenRequest { method: string; url: string; authorization: string }

/** A service stand-in on loopback that answers each request (once its body was read) with `answer`, recording what came. */
export interface LoopbackService { origin: string; seen: SeenRequest[]; close(): Promise<void> }

export async function loopbackService(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<LoopbackService> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '' });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Answers with a JSON body. */
export function answerJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
