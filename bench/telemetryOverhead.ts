import http from 'node:http';

/** What the telemetry run borrows from bench/turns.ts: its children, rounds and figures. */
export interface TelemetryBench<C, R extends { cpuUs: number; turns: number; failures: number }> {
  startChild(kind: string, env: Record<string, string>): Promise<C>;
  runRound(target: C, command: 'help' | 'setup', mode: 'sequential' | 'concurrent', count: number): Promise<R>;
  rounds: number;
  plan: Record<'help' | 'setup', Record<'sequential' | 'concurrent', number>>;
  /** What to measure (BENCH_ONLY, BENCH_MODES). */
  commands: ReadonlyArray<'help' | 'setup'>;
  modes: ReadonlyArray<'sequential' | 'concurrent'>;
}

const GOAL = 1.1;

/** The middle value (the lower of the two middle ones for an even count). */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** A loopback OTLP/HTTP collector that takes everything and counts what it got. */
async function startCollector(): Promise<{ url: string; requests: () => number; bytes: () => number; close(): Promise<void> }> {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => { bytes += c.length; });
    req.on('end', () => { requests++; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, bytes: () => bytes, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/**
 * The bot with telemetry exported to a loopback OTLP collector, as an operator's default configuration does
 * (OTLP/HTTP protobuf, every span sampled, metrics every minute)
 * against the same bot with telemetry off, rounds alternating: CPU per turn of the server process, next to the
 * goal of at most 1.10x.
 */
export async function telemetryOverhead<C, R extends { cpuUs: number; turns: number; failures: number }>(bench: TelemetryBench<C, R>): Promise<string[]> {
  const collector = await startCollector();
  // Two fresh processes, warmed up alike: a process that has served thousands of turns more is faster on its own.
  // Both load the telemetry module as the entries do; only one has an endpoint (BENCH_TELEMETRY_SANITY=1: neither).
  const withoutTelemetry = await bench.startChild('bot', { BENCH_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: '' });
  const withTelemetry = await bench.startChild('bot', {
    BENCH_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: process.env.BENCH_TELEMETRY_SANITY ? '' : collector.url,
  });
  for (let i = 0; i < 3; i++) {
    for (const target of [withoutTelemetry, withTelemetry]) for (const command of bench.commands) await bench.runRound(target, command, 'concurrent', 128);
  }
  const lines: string[] = [];
  for (const command of bench.commands) {
    for (const mode of bench.modes) {
      const cpu = { off: { us: 0, turns: 0 }, on: { us: 0, turns: 0 } };
      const ratios: number[] = [];
      for (let round = 0; round < bench.rounds; round++) {
        const perTurn = { off: 0, on: 0 };
        for (const [key, target] of [['off', withoutTelemetry], ['on', withTelemetry]] as const) {
          const r = await bench.runRound(target, command, mode, bench.plan[command][mode]);
          cpu[key].us += r.cpuUs;
          cpu[key].turns += r.turns;
          perTurn[key] = r.cpuUs / r.turns;
        }
        ratios.push(perTurn.on / perTurn.off);
      }
      const off = cpu.off.us / 1000 / cpu.off.turns;
      const on = cpu.on.us / 1000 / cpu.on.turns;
      const ratio = on / off;
      lines.push(`  telemetry ${command.padEnd(6)} ${mode.padEnd(11)} CPU per turn off ${off.toFixed(2)} ms  on ${on.toFixed(2)} ms  ratio ${ratio.toFixed(2)}×  goal ≤ ${GOAL.toFixed(2)}×${ratio <= GOAL ? '  ok' : '  MISSED'}  (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×, median ${median(ratios).toFixed(2)}×)`);
    }
  }
  lines.push(`  (the OTLP collector on loopback received ${collector.requests()} exports, ${(collector.bytes() / 1024).toFixed(0)} KiB, during the telemetry rounds)`);
  await collector.close();
  return lines;
}
