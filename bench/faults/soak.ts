import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { atMost, deliveryFigures, exactly, type Figure } from './figures';
import { breakdownLine, memoryBreakdown } from './memoryBreakdown';
import { startSoakTurns } from './soakTurns';
import { startWatchRig } from './watchRig';
import { STATE_DEADLINE_MS } from '../../src/storage/boundedStores';

const HOUR = 3_600_000;
/** How often a simulated hour the handles, timers and listeners are counted: the lowest count is the hour's. */
const FLOOR_SAMPLES = 12;
/** The first simulated hours are the warm-up (JIT, pools, caches, the first alert of every project). */
const WARM_UP_HOURS = 2;

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void;

/**
 * The RSS after a full garbage collection, then after one that also gives memory back (V8's last resort, what it does
 * under memory pressure). A plain full GC leaves V8 holding freed pages and a grown young generation: their
 * high-water mark follows the busiest moment so far, so the RSS after it creeps in steps while nothing is retained.
 */
function collect(): { rssMb: number; rssPlainGcMb: number } {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as Gc;
  gc();
  const rssPlainGcMb = process.memoryUsage.rss() / 2 ** 20;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { rssMb: process.memoryUsage.rss() / 2 ** 20, rssPlainGcMb };
}

/** Least-squares slope of (x, y) points. */
export function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/**
 * The most a count may climb per simulated hour after the warm-up: one leaked handle, timer or listener every four
 * simulated hours shows, while a socket or a turn in flight at some samples (a count one or two above its usual)
 * moves a least-squares slope over a day's samples by less than 0.15.
 */
const COUNT_SLOPE_GOAL = 0.25;

interface Sample { hour: number; rssMb: number; rssPlainGcMb: number; heapMb: number; handles: number; timers: number; listeners: number }
const COUNT_NAMES = { handles: 'active handles', timers: 'pending timers', listeners: 'event listeners' } as const;
const rangeOf = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`;
const at = (s: Sample | undefined) => (s ? `RSS ${s.rssMb.toFixed(1)} MB (${s.rssPlainGcMb.toFixed(1)} before V8 gave memory back), heap ${s.heapMb.toFixed(1)} MB, at least ${s.handles} handles, ${s.timers} timers, ${s.listeners} listeners in the hour` : '');

/**
 * Issue 28 item 2: `hours` of watching `projects` hourly projects on the simulated clock, with the real stack,
 * and beside it, in the same process, real turns to the product at a steady low rate (one about every
 * `turnEveryMs` real ms). The clock follows real time at `speed`: 24 hours at 48x take 30 real minutes.
 * After the warm-up, every simulated hour: RSS and heap (after a full GC), and the fewest active handles, pending timers
 * of the simulated clock and listeners on the emitters the bench can reach seen in that hour; every run alerted once.
 */
export async function soak(o: { store: 'sqlite' | 'azure'; speed: number; hours: number; projects: number; turnEveryMs: number; progress?: boolean }): Promise<{ figures: Figure[]; notes: string[] }> {
  const started = performance.now(); // Date is the simulated clock's
  const load: number[] = [];
  const rig = await startWatchRig({
    store: o.store, stateDeadlineMs: STATE_DEADLINE_MS * o.speed, projects: o.projects, channels: Math.max(1, o.projects / 10), everyMs: HOUR, runMs: 60_000, speed: o.speed, countOnly: true, realTimePaced: true,
  });
  try {
    rig.lead();
    const turns = await rig.tickUntil(startSoakTurns({ speed: o.speed, everyMs: o.turnEveryMs, azureStorage: rig.azurite?.connectionString }));
    const emitters = [process, rig.connector, ...turns.emitters];
    const samples: Sample[] = [];
    const counts = () => ({
      handles: process.getActiveResourcesInfo().length, timers: rig.clock.countTimers(),
      listeners: emitters.reduce((n, e) => n + e.eventNames().reduce((m, name) => m + e.listenerCount(name), 0), 0),
    });
    for (let h = 1; h <= o.hours; h++) {
      // The counts' floor over the hour: requests in flight at one moment (many on Azurite, whose calls take real time)
      // come and go, while a leaked handle, timer or listener raises the floor of every later hour.
      let floor = counts();
      for (let k = 1; k <= FLOOR_SAMPLES; k++) {
        await rig.runTo(rig.t0 + (h - 1 + k / FLOOR_SAMPLES) * HOUR);
        const now = counts();
        floor = { handles: Math.min(floor.handles, now.handles), timers: Math.min(floor.timers, now.timers), listeners: Math.min(floor.listeners, now.listeners) };
      }
      const { rssMb, rssPlainGcMb } = collect();
      const memory = process.memoryUsage();
      load.push(os.loadavg()[0]);
      samples.push({ hour: h, rssMb, rssPlainGcMb, heapMb: memory.heapUsed / 2 ** 20, ...floor });
      // One line a simulated hour, so that a long soak shows where it is.
      if (o.progress) console.log(`  hour ${h}: ${at(samples[samples.length - 1])}, ${turns.counts.answered} turns answered, ${turns.counts.failed} failed; ${breakdownLine(memoryBreakdown())}${o.store === 'sqlite' ? `; db ${rig.dbFilesMb().toFixed(1)} MB` : ''}`);
    }
    const answered = await rig.tickUntil(turns.stop());
    await rig.runTo(rig.t0 + o.hours * HOUR + 4 * 30_000);
    const after = samples.filter((s) => s.hour > WARM_UP_HOURS);
    const expected = new Map<string, number>();
    for (let i = 0; i < o.projects; i++) for (const run of rig.endedBetween(i, rig.t0, rig.t0 + o.hours * HOUR)) expected.set(run, i);
    const realMinutes = (performance.now() - started) / 60_000;
    const figures = [
      atMost('RSS slope after warm-up (MB per simulated hour)', slope(after.map((s) => [s.hour, s.rssMb])), 1),
      atMost('heap after GC, slope (MB per simulated hour)', slope(after.map((s) => [s.hour, s.heapMb])), 1),
      ...(['handles', 'timers', 'listeners'] as const).map((count) =>
        atMost(`${COUNT_NAMES[count]}, slope (per simulated hour)`, slope(after.map((s) => [s.hour, s[count]])), COUNT_SLOPE_GOAL)),
      exactly('turns failed', answered.failed, 0),
      ...deliveryFigures(rig.tally, expected, rig.t0 + o.hours * HOUR, 30_000).filter((f) => !f.name.startsWith('last alert')),
    ];
    const notes = [
      `${answered.answered} turns answered (${answered.walks} setup walks by clicks), ${answered.failed} failed${answered.firstFailure ? ` (first: ${answered.firstFailure})` : ''}, over ${realMinutes.toFixed(1)} real minutes`,
      `after warm-up (hour ${WARM_UP_HOURS + 1}): ${at(after[0])}; at the end: ${at(after[after.length - 1])}`,
      `RSS after a plain full GC (V8 still holding freed pages): slope ${slope(after.map((s) => [s.hour, s.rssPlainGcMb])).toFixed(2)} MB per simulated hour`,
      `after warm-up, lowest–highest: ${(['handles', 'timers', 'listeners'] as const).map((count) => `${COUNT_NAMES[count]} ${rangeOf(after.map((s) => s[count]))}`).join(', ')}`,
      `load average (1 min) while it ran: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${os.cpus().length} cores`,
    ];
    return { figures, notes };
  } finally {
    await rig.close();
  }
}
