import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { ActivityHandler, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startApp } from '../src/app';
import { createServer, InFlight } from '../src/http/server';
import { BotAdapter } from '../src/teams/adapter';
import { startSandbox } from '../dev/sandbox';

/**
 * One server of `npm run bench:turns`, in its own process so that its CPU time is its own:
 *   echo     a bare botbuilder ActivityHandler that replies with the text, on a CloudAdapter with no app id,
 *            served by the bot's own restify server (src/http/server.ts)
 *   bot      the product (startApp, local mode), pointed at the sandbox process by SANDBOX_URL
 *   sandbox  the Data Integration sandbox the bot's setup step talks to
 * It tells the parent its address over IPC, answers { cmd: 'cpu' } with process.cpuUsage() and exits on { cmd: 'stop' }.
 */
type Message = { cmd: 'cpu' } | { cmd: 'stop' };

const kind = process.argv[2];
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
// JSON lines are produced as in production (level info), then thrown away: no pipe to the parent to drain.
const logger = createLogger(logLevel, pino.destination({ dest: os.devNull, sync: true }));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-turns-${kind}-`));

async function start(): Promise<{ url: string; close(): Promise<void> }> {
  if (kind === 'sandbox') {
    const sandbox = await startSandbox({ port: 0, dataDir, logger });
    return { url: `http://127.0.0.1:${sandbox.port}`, close: () => sandbox.close() };
  }
  if (kind === 'bot') {
    // The telemetry run of the bench: the SDK and the OTLP exporter, started as the entries start them.
    if (process.env.BENCH_TELEMETRY === '1') await import('../src/telemetry/register');
    const config = loadConfig(
      { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: logLevel, START_SANDBOX: 'false', SANDBOX_URL: process.env.BENCH_SANDBOX_URL },
      'bench',
    );
    const app = await startApp(config, logger);
    return { url: `http://127.0.0.1:${app.port}`, close: () => app.close() };
  }
  if (kind === 'echo') {
    const adapter = new BotAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      await context.sendActivity(context.activity.text);
      await next();
    });
    const server = createServer(
      {
        adapter, logger, requireAuth: false,
        health: () => ({ status: 'ok', version: 'bench', mode: 'local' }),
        logic: (context) => bot.run(context),
      },
      new InFlight(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  throw new Error(`unknown server kind "${kind}" (echo, bot or sandbox)`);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/turnServer runs as a child of bench/turns (IPC)');
  const running = await start();
  process.on('message', (message: Message) => {
    if (message.cmd === 'cpu') process.send!({ cpu: process.cpuUsage(), rssMb: process.memoryUsage().rss / 1048576 });
    if (message.cmd === 'stop') {
      const hard = setTimeout(() => process.exit(0), 5_000);
      running.close().finally(() => {
        clearTimeout(hard);
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  // The parent gone (crash, Ctrl+C): do not linger.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: running.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench turn server (${kind}) failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
