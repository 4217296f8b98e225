import net from 'node:net';

/** A cut in the network between the bot and one storage port (see partitionFor). */
export interface Partition {
  port: number;
  /** Cuts (true) or mends (false) the network. */
  cut(on: boolean): void;
  /** Connections whose request waits in the cut, still open on the bot's side. */
  waiting(): number;
  /** The next request is answered 503 (Azure Storage's "server busy") instead of reaching storage. */
  busyOnce(): void;
  /** How many requests were answered 503. */
  busyAnswers(): number;
  close(): Promise<void>;
}

const BUSY = 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/**
 * A TCP proxy in front of one Azurite port that can cut the network, as a partition does: while cut, what the
 * bot sends is kept in the cut and nothing comes back. Once mended, what a connection sent is delivered if that
 * connection is still open; a connection the bot closed meanwhile is dropped with what it sent, so a request
 * the bot gave up on (and cancelled) never reaches storage, and one it left open lands.
 * (A frozen Azurite, SIGSTOP, cannot show this: the kernel has already taken every byte the bot sent.)
 */
export async function partitionFor(storagePort: number): Promise<Partition> {
  let isCut = false;
  let busy = false;
  let busyAnswers = 0;
  const open = new Set<{ held: Buffer[]; back: Buffer[]; mend(): void; drop(): void }>();
  const server = net.createServer((bot) => {
    const storage = net.connect(storagePort, '127.0.0.1');
    const conn = {
      held: [] as Buffer[],
      back: [] as Buffer[],
      mend() {
        for (const chunk of conn.held.splice(0)) storage.write(chunk);
        for (const chunk of conn.back.splice(0)) bot.write(chunk);
      },
      drop() {
        open.delete(conn);
        bot.destroy();
        storage.destroy();
      },
    };
    open.add(conn);
    let refused = false;
    bot.on('data', (chunk: Buffer) => {
      if (refused) return;
      if (busy && !isCut) {
        busy = false;
        refused = true;
        busyAnswers++;
        bot.end(BUSY);
        storage.destroy();
        return;
      }
      if (isCut) conn.held.push(chunk);
      else storage.write(chunk);
    });
    storage.on('data', (chunk: Buffer) => (isCut ? conn.back.push(chunk) : bot.write(chunk)));
    for (const socket of [bot, storage]) socket.on('close', conn.drop).on('error', conn.drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut(on) {
      isCut = on;
      if (!on) for (const conn of open) conn.mend();
    },
    waiting: () => [...open].filter((c) => c.held.length > 0).length,
    busyOnce() { busy = true; },
    busyAnswers: () => busyAnswers,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const conn of [...open]) conn.drop();
    }),
  };
}
