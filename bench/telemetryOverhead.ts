import { startTelemetryReceiver, type TelemetryReceiver } from '../test/helpers/telemetryReceiver';

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

/** A telemetry configuration measured against telemetry off: its label and the settings of its process. */
interface Exporting { label: string; env(receiver: TelemetryReceiver): Record<string, string>; tls: boolean }

/**
 * What an operator gets: Application Insights as infra/azuredeploy.json configures it (the distro's own
 * defaults: rate-limited sampling, live metrics on; only its usage reports are off, as they would leave
 * loopback), and OTLP/HTTP protobuf with every span sampled, the most a turn can cost.
 */
const EXPORTING: Exporting[] = [
  {
    label: 'Application Insights, its defaults', tls: true,
    env: (r) => ({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${r.url}/;LiveEndpoint=${r.url}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', NODE_EXTRA_CA_CERTS: r.caFile ?? '',
    }),
  },
  { label: 'OTLP, every span sampled', tls: false, env: (r) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: r.url }) },
];

/** `items` rotated by `by`: each round starts with another process, so that none is always measured first. */
const rotated = <T>(items: T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]);

/**
 * The bot with telemetry on, once per configuration above and each in its own process, against the same bot
 * with telemetry off, in rounds whose order rotates: CPU per turn of the server process, next to the goal of
 * at most 1.10x.
 */
export async function telemetryOverhead<C, R extends { cpuUs: number; turns: number; failures: number }>(bench: TelemetryBench<C, R>): Promise<string[]> {
  const receivers = await Promise.all(EXPORTING.map((e) => startTelemetryReceiver({ tls: e.tls })));
  // Fresh processes, warmed up alike: a process that has served thousands of turns more is faster on its own.
  // All load the telemetry module as the entries do; only the exporting ones are configured to export.
  const off = await bench.startChild('bot', { BENCH_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: '', APPLICATIONINSIGHTS_CONNECTION_STRING: '' });
  const on: C[] = [];
  for (const [i, exporting] of EXPORTING.entries()) on.push(await bench.startChild('bot', { BENCH_TELEMETRY: '1', ...exporting.env(receivers[i]) }));
  const targets = [off, ...on];
  for (let i = 0; i < 3; i++) {
    for (const target of targets) for (const command of bench.commands) await bench.runRound(target, command, 'concurrent', 128);
  }
  const lines: string[] = [];
  for (const command of bench.commands) {
    for (const mode of bench.modes) {
      const cpu = targets.map(() => ({ us: 0, turns: 0 }));
      const ratios: number[][] = on.map(() => []);
      for (let round = 0; round < bench.rounds; round++) {
        const perTurn: number[] = [];
        for (const t of rotated([...targets.keys()], round)) {
          const r = await bench.runRound(targets[t], command, mode, bench.plan[command][mode]);
          cpu[t].us += r.cpuUs;
          cpu[t].turns += r.turns;
          perTurn[t] = r.cpuUs / r.turns;
        }
        on.forEach((_, i) => ratios[i].push(perTurn[i + 1] / perTurn[0]));
      }
      const perTurnMs = cpu.map((c) => c.us / 1000 / c.turns);
      EXPORTING.forEach((exporting, i) => {
        const ratio = perTurnMs[i + 1] / perTurnMs[0];
        lines.push(`  telemetry ${command.padEnd(6)} ${mode.padEnd(11)} ${exporting.label.padEnd(36)} CPU per turn off ${perTurnMs[0].toFixed(2)} ms  on ${perTurnMs[i + 1].toFixed(2)} ms  ratio ${ratio.toFixed(2)}×  goal ≤ ${GOAL.toFixed(2)}×${ratio <= GOAL ? '  ok' : '  MISSED'}  (rounds ${Math.min(...ratios[i]).toFixed(2)}–${Math.max(...ratios[i]).toFixed(2)}×, median ${median(ratios[i]).toFixed(2)}×)`);
      });
    }
  }
  EXPORTING.forEach((exporting, i) => lines.push(`  (${exporting.label}: the loopback receiver took ${receivers[i].received.length} requests, ${(receivers[i].bytes() / 1024).toFixed(0)} KiB)`));
  await Promise.all(receivers.map((r) => r.close()));
  return lines;
}
