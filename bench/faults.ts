/**
 * `npm run bench:faults [a b c d soak] [--store sqlite|azure] [--short]`: outages as long as real ones, on the real
 * classes (state stores on Azurite, the Bot Connector transport against a local connector, the integrator
 * client against a local integrator that fails on demand), on a simulated clock where the code allows it.
 * Each figure is printed next to its goal; the exit code is 1 when a goal is missed.
 */
import { connectorOutage } from './faults/connectorOutage';
import { integratorFaults } from './faults/integratorFaults';
import { tokenOutage } from './faults/tokenOutage';
import { storageOutage } from './faults/storageOutage';
import { soak } from './faults/soak';
import type { Figure } from './faults/figures';

const args = process.argv.slice(2);
const asked = args.includes('--store') ? args[args.indexOf('--store') + 1] : undefined;
if (asked !== undefined && asked !== 'sqlite' && asked !== 'azure') throw new Error(`--store takes sqlite or azure, not ${asked}`);
/** The scenarios' state: Azurite unless --store sqlite. The soak's: SQLite unless --store azure (its figures in docs/operations.md are SQLite's). */
const store = asked ?? 'azure';
const soakStore = asked ?? 'sqlite';
const short = args.includes('--short');
const speed = Number(process.env.BENCH_SPEED ?? 20);
const chosen = args.filter((a) => /^([a-e]|soak)$/.test(a));

/** The soak's simulated clock: 24 hours at 48x take 30 real minutes (BENCH_SOAK_SPEED to change). */
const soakSpeed = Number(process.env.BENCH_SOAK_SPEED ?? 48);
const soakHours = short ? 3 : Number(process.env.BENCH_SOAK_HOURS ?? 24);

const SCENARIOS: Record<string, { title: string; run(): Promise<Figure[] | { figures: Figure[]; notes: string[] }> }> = {
  a: { title: '(a) Bot Connector 503 for 10 minutes, 500 runs finishing', run: () => connectorOutage({ store, speed, outageMinutes: short ? 2 : 10, projects: short ? 20 : 100 }) },
  b: { title: '(b) Azure Storage not answering for 2 minutes, mid-poll and mid-turn', run: () => storageOutage({ speed, minutes: short ? 1 : 2, projects: short ? 20 : 100 }) },
  c: { title: '(c) integrator: no answer for 60 s on 10 %, 500 on 10 %, for 15 minutes', run: () => integratorFaults({ store, speed, minutes: short ? 8 : 15, projects: short ? 20 : 100 }) },
  soak: {
    title: `soak: ${soakHours} simulated hours of ${short ? 100 : 1000} hourly projects at ${soakSpeed}x, real turns beside it (state on ${soakStore === 'azure' ? 'Azurite' : 'SQLite'})`,
    run: () => soak({ store: soakStore, speed: soakSpeed, hours: soakHours, projects: short ? 100 : 1000, turnEveryMs: Number(process.env.BENCH_SOAK_TURN_MS ?? 2_000), progress: !short }),
  },
  d: { title: '(d) token service down for 10 minutes', run: () => tokenOutage({ store, speed, minutes: short ? 2 : 10, projects: short ? 20 : 100 }) },
};

async function main(): Promise<void> {
  let missed = 0;
  console.log(`bench:faults: state on ${store}, simulated clock at ${speed}x (the soak: ${soakStore}, ${soakSpeed}x), ${new Date().toISOString()}`);
  for (const [key, scenario] of Object.entries(SCENARIOS)) {
    // The soak runs only when asked for by name: it takes minutes of real time.
    if (chosen.length > 0 ? !chosen.includes(key) : key === 'soak') continue;
    const started = Date.now();
    const result = await scenario.run();
    const figures = Array.isArray(result) ? result : result.figures;
    console.log(`\n${scenario.title} (${((Date.now() - started) / 1000).toFixed(0)} s real)`);
    if (!Array.isArray(result)) for (const note of result.notes) console.log(`  ${note}`);
    for (const f of figures) {
      console.log(`  ${f.met ? 'ok  ' : 'MISS'} ${f.name.padEnd(44)} ${f.value.padStart(10)}   goal ${f.goal}`);
      if (!f.met) missed++;
    }
  }
  console.log(missed === 0 ? '\nevery goal met' : `\n${missed} goal(s) missed`);
  process.exitCode = missed === 0 ? 0 : 1;
}

void main();
