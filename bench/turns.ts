import { ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startLocalConnector } from '../dev/playground/localConnector';
import { median, telemetryOverhead } from './telemetryOverhead';

/**
 * `npm run bench:turns`: the bot against a bare botbuilder echo bot on the same restify server, measured from
 * outside over HTTP on loopback. Each server runs in its own process (bench/turnServer.ts) so that its CPU time
 * (process.cpuUsage() deltas, asked over IPC) is its own; both reply to the same local Bot Connector, so every
 * turn does one real outbound POST. Rounds alternate (echo, bot, echo, bot…), sequential and with 32 in flight,
 * and every figure is printed next to its goal and as a ratio to the echo bot measured in the same run.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/**
 * The telemetry run looks for a difference of a few percent while single rounds spread over ±30% on this
 * machine: twelve times the rounds (runs of 20 rounds gave 1.04–1.12x where runs of 60 gave 1.05–1.07x).
 */
const TELEMETRY_ROUNDS = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? ROUNDS * 12);
const CONCURRENCY = 32;
/** Requests per round, per command and mode, and the wall time after which a round stops early. */
const PLAN = {
  help: { sequential: 150, concurrent: 600 },
  setup: { sequential: 40, concurrent: 160 },
};
const ROUND_MAX_MS = 20_000;
const REQUEST_TIMEOUT_MS = 15_000;
/** The telemetry run (bench/telemetryOverhead.ts) about doubles the time; BENCH_TELEMETRY=0 leaves it out. */
const TOTAL_MAX_MS = (process.env.BENCH_TELEMETRY === '0' ? 8 : 16) * 60_000;
/** BENCH_ONLY=help (or setup) measures one command, e.g. to profile it. */
const ONLY = (process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ['help', 'setup']) as Array<'help' | 'setup'>;
/** BENCH_MODES=concurrent (or sequential) measures one mode. */
const MODES = (process.env.BENCH_MODES ? process.env.BENCH_MODES.split(',') : ['sequential', 'concurrent']) as Array<'sequential' | 'concurrent'>;
const GOALS = { helpCpu: 1.5, helpP50: 1.3 };
/** Issue 20: "help" with 32 in flight (CPU and p50 at most, throughput at least, as ratios to the echo bot). */
const CONCURRENT_GOALS = { cpu: 1.3, p50: 1.3, throughput: 0.85 };

const COMMANDS = { help: 'help', setup: 'set up account sync' } as const;
type CommandKey = keyof typeof COMMANDS;
type Mode = 'sequential' | 'concurrent';
type Target = 'echo' | 'bot';

interface Child { kind: string; process: ChildProcess; url: string }
interface CpuReading { cpu: NodeJS.CpuUsage; rssMb: number }
interface Round { latencies: number[]; wallMs: number; cpuUs: number; turns: number; failures: number; rssMb: number }

const started = Date.now();
const children: Child[] = [];

function startChild(kind: string, env: Record<string, string> = {}): Promise<Child> {
  // BENCH_PROFILE=<dir>: the bot process (BENCH_PROFILE_KINDS=bot,echo: those) writes a V8 CPU profile there (node --cpu-prof) when it stops.
  const profiled = (process.env.BENCH_PROFILE_KINDS ?? 'bot').split(',').includes(kind);
  const profile = profiled && process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(path.join(__dirname, 'turnServer.js'), [kind], {
    env: { ...process.env, ...env },
    execArgv: ['--no-deprecation', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
    child.once('message', (m: { ready?: string }) => {
      clearTimeout(timer);
      if (!m.ready) return reject(new Error(`${kind} server sent ${JSON.stringify(m)}`));
      const started = { kind, process: child, url: m.ready };
      children.push(started);
      resolve(started);
    });
  });
}

function cpuOf(child: Child): Promise<CpuReading> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.kind} did not report its CPU`)), 10_000);
    child.process.once('message', (m: CpuReading) => { clearTimeout(timer); resolve(m); });
    child.process.send({ cmd: 'cpu' });
  });
}

async function stopAll(): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.process.exitCode !== null) return resolve();
    const kill = setTimeout(() => { c.process.kill('SIGKILL'); resolve(); }, 6_000);
    c.process.once('exit', () => { clearTimeout(kill); resolve(); });
    c.process.send({ cmd: 'stop' });
  })));
}

/** A message typed in a personal chat by one of `CONCURRENCY` people (one person's turns never overlap). */
function activity(serviceUrl: string, text: string, person: number) {
  return {
    type: 'message', id: randomUUID(), timestamp: new Date().toISOString(), serviceUrl, channelId: 'msteams',
    from: { id: `29:bench-${person}`, name: `Bench ${person}`, aadObjectId: `00000000-0000-0000-0000-${String(person).padStart(12, '0')}` },
    recipient: { id: '28:bot-app-id', name: 'Data Integration' },
    conversation: { id: `a:bench-personal-${person}`, conversationType: 'personal', tenantId: 'tenant-bench' },
    channelData: { tenant: { id: 'tenant-bench' } }, locale: 'en-US', text, entities: [],
  };
}

async function post(url: string, body: object): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function runRound(target: Child, serviceUrl: string, command: CommandKey, mode: Mode, count: number): Promise<Round> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = Date.now() + ROUND_MAX_MS;
  const worker = async (slot: number) => {
    while (next < count && Date.now() < deadline) {
      next++;
      const t0 = performance.now();
      const ok = await post(target.url, activity(serviceUrl, COMMANDS[command], slot));
      latencies.push(performance.now() - t0);
      if (!ok) failures++;
    }
  };
  const before = await cpuOf(target);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: mode === 'sequential' ? 1 : CONCURRENCY }, (_, slot) => worker(slot)));
  const wallMs = performance.now() - t0;
  const after = await cpuOf(target);
  const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  return { latencies, wallMs, cpuUs, turns: latencies.length, failures, rssMb: after.rssMb };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

interface Summary { p50: number; p99: number; perSecond: number; cpuMs: number; turns: number; failures: number; rssMb: number; rounds: Round[] }
function summarise(rounds: Round[]): Summary {
  const sorted = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const turns = rounds.reduce((n, r) => n + r.turns, 0);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    perSecond: turns / (rounds.reduce((n, r) => n + r.wallMs, 0) / 1000),
    cpuMs: rounds.reduce((n, r) => n + r.cpuUs, 0) / 1000 / turns,
    turns,
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    rssMb: Math.max(...rounds.map((r) => r.rssMb)),
    rounds,
  };
}

/** The lowest and highest ratio of one figure over the round pairs (echo round i, bot round i): how much the machine moved it. */
function spread(echo: Round[], bot: Round[], figure: (r: Round) => number): string {
  const ratios = bot.map((b, i) => figure(b) / figure(echo[i]));
  return `rounds ${f(Math.min(...ratios))}–${f(Math.max(...ratios))}×, median ${f(median(ratios))}×`;
}

const FIGURES: Record<'cpu' | 'p50' | 'throughput', (r: Round) => number> = {
  cpu: (r) => r.cpuUs / r.turns,
  p50: (r) => percentile([...r.latencies].sort((a, b) => a - b), 50),
  throughput: (r) => r.turns / r.wallMs,
};

const f = (n: number, d = 2) => n.toFixed(d);
const pad = (s: string, n: number) => s.padEnd(n);

function report(command: CommandKey, mode: Mode, echo: Summary, bot: Summary): string[] {
  const goalFor = (figure: 'cpu' | 'p50' | 'throughput') => {
    if (command !== 'help') return undefined;
    if (mode === 'concurrent') return CONCURRENT_GOALS[figure];
    return figure === 'cpu' ? GOALS.helpCpu : figure === 'p50' ? GOALS.helpP50 : undefined;
  };
  const line = (label: string, e: number, b: number, unit: string, goal?: number, higherIsBetter = false, figure?: keyof typeof FIGURES) => {
    const ratio = b / e;
    const verdict = goal === undefined ? '' : (higherIsBetter ? ratio >= goal : ratio <= goal) ? '  ok' : '  MISSED';
    const goalText = goal === undefined ? '(no goal)' : `goal ${higherIsBetter ? '≥' : '≤'} ${f(goal, 2)}×`;
    const rounds = figure ? `  (${spread(echo.rounds, bot.rounds, FIGURES[figure])})` : '';
    return `  ${pad(label, 16)} echo ${pad(`${f(e)} ${unit}`, 14)} bot ${pad(`${f(b)} ${unit}`, 14)} ratio ${pad(`${f(ratio)}×`, 8)} ${goalText}${verdict}${rounds}`;
  };
  return [
    `"${COMMANDS[command]}", ${mode === 'sequential' ? 'sequential' : `${CONCURRENCY} in flight`} (${echo.turns} echo turns, ${bot.turns} bot turns, ${echo.failures + bot.failures} failed)`,
    line('CPU per turn', echo.cpuMs, bot.cpuMs, 'ms', goalFor('cpu'), false, 'cpu'),
    line('p50', echo.p50, bot.p50, 'ms', goalFor('p50'), false, 'p50'),
    line('p99', echo.p99, bot.p99, 'ms'),
    line('throughput', echo.perSecond, bot.perSecond, '/s', goalFor('throughput'), true, 'throughput'),
  ];
}

async function main(): Promise<void> {
  const overall = setTimeout(() => {
    process.stderr.write(`bench:turns: over ${TOTAL_MAX_MS / 1000} s, stopping\n`);
    void stopAll().finally(() => process.exit(1));
  }, TOTAL_MAX_MS);
  overall.unref();

  const connector = await startLocalConnector();
  let replies = 0;
  connector.connector.on('call', () => {
    replies++;
    connector.connector.calls.length = 0; // keep nothing: the bench only counts
  });
  let lastReply: unknown;
  connector.connector.on('call', (call: { activity: unknown }) => { lastReply = call.activity; });

  const sandbox = await startChild('sandbox');
  const echo = await startChild('echo');
  const bot = await startChild('bot', { BENCH_SANDBOX_URL: sandbox.url });
  const targets: Record<Target, Child> = { echo, bot };
  const load = os.loadavg().map((n) => n.toFixed(1)).join(' ');
  console.log(`bench:turns: echo bot and the product, each in its own process, on ${os.cpus().length} cores (load average ${load}); Node ${process.version}`);
  console.log('Figures are ratios to the echo bot measured in the same run, rounds alternating; other work on this machine moves absolute numbers.');

  // The setup step must really render the prerequisites card, and both bots really reply.
  await post(bot.url, activity(connector.serviceUrl, COMMANDS.setup, 0));
  if (!JSON.stringify(lastReply ?? '').includes('Everything needed is in place')) {
    throw new Error(`"set up account sync" did not answer the prerequisites card: ${JSON.stringify(lastReply).slice(0, 300)}`);
  }
  // Warm-up: JIT, connection pools, SQLite caches, the per-person state rows.
  for (const target of [echo, bot]) {
    for (const command of ONLY) await runRound(target, connector.serviceUrl, command, 'concurrent', CONCURRENCY * 4);
  }

  const output: string[] = [];
  for (const command of ONLY) {
    for (const mode of MODES) {
      const rounds: Record<Target, Round[]> = { echo: [], bot: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of ['echo', 'bot'] as const) {
          const sent = replies;
          const r = await runRound(targets[target], connector.serviceUrl, command, mode, PLAN[command][mode]);
          const outbound = replies - sent;
          if (outbound < r.turns - r.failures) throw new Error(`${target}: ${r.turns} turns but ${outbound} replies reached the connector`);
          rounds[target].push(r);
        }
      }
      const lines = report(command, mode, summarise(rounds.echo), summarise(rounds.bot));
      lines.forEach((l) => console.log(l));
      output.push(...lines);
    }
  }
  // BENCH_TELEMETRY=0 skips the telemetry-on run.
  if (process.env.BENCH_TELEMETRY !== '0') {
    console.log('Telemetry exported to a loopback receiver, against telemetry off (the same bot, each configuration in its own process, rounds in rotating order):');
    const lines = await telemetryOverhead({
      // The same sandbox as the bot above: without it the setup rounds would call the public service hosts.
      rounds: TELEMETRY_ROUNDS, plan: PLAN, commands: ONLY, modes: MODES, startChild: (kind, env) => startChild(kind, { BENCH_SANDBOX_URL: sandbox.url, ...env }),
      runRound: (target, command, mode, count) => runRound(target, connector.serviceUrl, command, mode, count),
    });
    lines.forEach((l) => console.log(l));
  }
  console.log(`(${ROUNDS} alternating rounds each, ${TELEMETRY_ROUNDS} in the telemetry run; CPU = user + system of the server process per turn; ${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  await stopAll();
  await connector.close();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`bench:turns failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    await stopAll();
    process.exit(1);
  },
);
