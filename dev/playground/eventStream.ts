import { ServerResponse } from 'node:http';
import { Request, Response } from 'restify';

/**
 * Server-sent events to the open playground pages: each new client gets a "hello" event and the
 * history, then every new event live. Comments every 20 s keep idle proxies from closing the stream.
 */
export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 20_000) {
    this.heartbeat = setInterval(() => this.clients.forEach((c) => c.write(': ping\n\n')), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Starts a stream on `res`: hello first, then the history. The handler must not send anything else. */
  open(req: Request, res: Response, hello: unknown, history: readonly unknown[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    write(res, 'hello', hello);
    history.forEach((h) => write(res, 'entry', h));
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  /** Sends one event to every open page. */
  broadcast(event: string, data: unknown): void {
    this.clients.forEach((c) => write(c, event, data));
  }

  /** Ends every stream (the HTTP server cannot close while one is open) and stops the heartbeat. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.clients.forEach((c) => c.end());
    this.clients.clear();
  }
}

function write(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
