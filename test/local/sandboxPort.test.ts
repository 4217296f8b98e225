import net from 'node:net';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startLocalApp } from '../../dev/local/startLocalApp';
import { tempDataDir } from '../helpers/harness';

/** Holds a loopback port, as a first bot's sandbox would. */
async function takePort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a second local bot while the sandbox port is taken (issue 12, item 23)', () => {
  test('with the default port, the sandbox moves to a free one and the bot starts', async () => {
    const taken = await takePort();
    const config = loadConfig({ PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'silent', SANDBOX_PORT: String(taken.port) }, 'test');
    const app = await startLocalApp(config, createLogger('silent'), { anySandboxPortIfTaken: true });
    try {
      expect(app.sandbox!.baseUrls.integrator).not.toContain(`:${taken.port}`);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
      await taken.close();
    }
  });

  test('with SANDBOX_PORT set, it fails with one line naming the key to set', async () => {
    const taken = await takePort();
    const config = loadConfig({ PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'silent', SANDBOX_PORT: String(taken.port) }, 'test');
    await expect(startLocalApp(config, createLogger('silent'))).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+ .*EADDRINUSE.*set SANDBOX_PORT/);
    await taken.close();
  });
});
