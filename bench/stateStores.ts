import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalConnector } from '../dev/playground/localConnector';
import { freePort, freshPrefix, startAzurite } from '../test/helpers/azurite';
import { startNode } from '../test/helpers/processes';

/**
 * Turn latency and bot CPU per turn with STATE_STORE=sqlite against STATE_STORE=azure (Azurite),
 * in the same run on the same machine. The bot is a process of its own (`node dist/src/index.js`);
 * its CPU is read from /proc, so the driver, the connector and Azurite are not counted.
 */
const TURNS = Number(process.env.BENCH_TURNS ?? 200);
const WARMUP = 20;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime + stime
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(name: string, env: Record<string, string>, serviceUrl: string): Promise<string> {
  const port = await freePort();
  const bot = startNode('src/index.js', { ...env, PORT: String(port), SANDBOX_PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const turn = async (i: number) => {
      const activity = {
        type: 'message', id: `b${i}`, channelId: 'msteams', serviceUrl, text: 'help', timestamp: new Date().toISOString(),
        from: { id: `29:user-${i % 10}`, name: 'Bench', aadObjectId: `aad-${i % 10}` }, recipient: { id: '28:bot' },
        conversation: { id: `a:personal-${i % 10}`, conversationType: 'personal', tenantId: 't' }, channelData: { tenant: { id: 't' } },
      };
      const started = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      if (res.status !== 200) throw new Error(`turn ${i}: ${res.status}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    for (let i = 0; i < WARMUP; i++) await turn(i);
    const cpuBefore = cpuMs(bot.child.pid!);
    const latencies: number[] = [];
    for (let i = 0; i < TURNS; i++) latencies.push(await turn(WARMUP + i));
    const cpuPerTurn = (cpuMs(bot.child.pid!) - cpuBefore) / TURNS;
    latencies.sort((a, b) => a - b);
    return `${name.padEnd(18)} median ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   bot CPU ${cpuPerTurn.toFixed(2)} ms/turn`;
  } finally {
    await bot.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const connector = await startLocalConnector();
  try {
    console.log(`${TURNS} sequential "help" turns per backend (state read + write, flow lock, conversation reference), after ${WARMUP} warm-up turns`);
    console.log(await measure('sqlite', { STATE_STORE: 'sqlite' }, connector.serviceUrl));
    console.log(await measure('azure (Azurite)', { STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix() }, connector.serviceUrl));
  } finally {
    await connector.close();
    await azurite.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
