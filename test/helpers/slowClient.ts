import net from 'node:net';

/** What a slow client saw: how long the server kept its connection, how many bytes it got to send, the status line. */
export interface SlowClientResult { heldMs: number; sentBytes: number; totalBytes: number; statusLine: string }

/**
 * A client that opens a connection to `port` on loopback, sends `head` at once and then `slow` one byte every
 * `everyMs`, and reports when the server closed the connection (or `giveUpMs` passed, when it closes it itself).
 */
export function slowClient(port: number, { head = '', slow, everyMs, giveUpMs }: { head?: string; slow: string; everyMs: number; giveUpMs: number }): Promise<SlowClientResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const bytes = Buffer.from(slow);
    let sent = 0;
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => { if (head) socket.write(head); });
    const drip = setInterval(() => { if (sent < bytes.length && socket.writable) socket.write(bytes.subarray(sent, ++sent)); }, everyMs);
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (d) => { answer += d; });
    socket.on('error', () => undefined); // a reset after the server closed: the close below says when
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ heldMs: Date.now() - started, sentBytes: Buffer.byteLength(head) + sent, totalBytes: Buffer.byteLength(head) + bytes.length, statusLine: answer.split('\r\n')[0] ?? '' });
    });
  });
}

/** The start of a POST of `body` to /api/messages as the Bot Connector sends it, with a token of the right shape. */
export function messagePostHead(body: string, authorization = 'Bearer a.b.c'): string {
  return `POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nAuthorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
}
