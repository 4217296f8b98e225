import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { atMost, deliveryFigures, exactly, type Figure } from './figures';
import { startSoakTurns } from './soakTurns';
import { startWatchRig } from './watchRig';

const HOUR = 3_600_000;
/** The first simulated hours are the warm-up (JIT, pools, caches, the first alert of every project). */
const WARM_UP_HOURS = 2;

/** A full garbage collection, so that samples compare what is alive, not what is not yet collected. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
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

/** How much a count grew: the median of the last third of the samples less that of the first (a turn in flight at one sample is not growth). */
function growth(values: readonly number[]): number {
  const third = Math.max(1, Math.floor(values.length / 3));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return median(values.slice(-third)) - median(values.slice(0, third));
}

interface Sample { hour: number; rssMb: number; heapMb: number; handles: number; timers: number; listeners: number }
const at = (s: Sample | undefined) => (s ? `RSS ${s.rssMb.toFixed(1)} MB, heap ${s.heapMb.toFixed(1)} MB, ${s.handles} handles, ${s.timers} timers, ${s.listeners} listeners` : '');

/**
 * Issue 28 item 2: `hours` of watching `projects` hourly projects on the simulated clock, with the real stack,
 * and beside it, in the same process, real turns to the product at a steady low rate (one about every
 * `turnEveryMs` real ms). The clock follows real time at `speed`: 24 hours at 48x take 30 real minutes.
 * After the warm-up, every simulated hour (after a full GC): RSS, heap, active handles, the simulated clock's
 * pending timers and the listeners on the emitters the bench can reach; every run alerted once.
 */
export async function soak(o: { speed: number; hours: number; projects: number; turnEveryMs: number; progress?: boolean }): Promise<{ figures: Figure[]; notes: string[] }> {
  const started = performance.now(); // Date is the simulated clock's
  const load: number[] = [];
  const rig = await startWatchRig({
    store: 'sqlite', projects: o.projects, channels: Math.max(1, o.projects / 10), everyMs: HOUR, runMs: 60_000, speed: o.speed, countOnly: true, realTimePaced: true,
  });
  try {
    rig.lead();
    const turns = await rig.tickUntil(startSoakTurns({ speed: o.speed, everyMs: o.turnEveryMs }));
    const emitters = [process, rig.connector, ...turns.emitters];
    const samples: Sample[] = [];
    for (let h = 1; h <= o.hours; h++) {
      await rig.runTo(rig.t0 + h * HOUR);
      collect();
      const memory = process.memoryUsage();
      load.push(os.loadavg()[0]);
      samples.push({
        hour: h, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20, handles: process.getActiveResourcesInfo().length, timers: rig.clock.countTimers(),
        listeners: emitters.reduce((n, e) => n + e.eventNames().reduce((m, name) => m + e.listenerCount(name), 0), 0),
      });
      // One line a simulated hour, so that a long soak shows where it is.
      if (o.progress) console.log(`  hour ${h}: ${at(samples[samples.length - 1])}, ${turns.counts.answered} turns answered, ${turns.counts.failed} failed`);
    }
    const counts = await rig.tickUntil(turns.stop());
    await rig.runTo(rig.t0 + o.hours * HOUR + 4 * 30_000);
    const after = samples.filter((s) => s.hour > WARM_UP_HOURS);
    const expected = new Map<string, number>();
    for (let i = 0; i < o.projects; i++) for (const run of rig.endedBetween(i, rig.t0, rig.t0 + o.hours * HOUR)) expected.set(run, i);
    const realMinutes = (performance.now() - started) / 60_000;
    const figures = [
      atMost('RSS slope after warm-up (MB per simulated hour)', slope(after.map((s) => [s.hour, s.rssMb])), 1),
      atMost('heap after GC, slope (MB per simulated hour)', slope(after.map((s) => [s.hour, s.heapMb])), 1),
      atMost('active handles, growth after warm-up', growth(after.map((s) => s.handles)), 0),
      atMost('pending timers, growth after warm-up', growth(after.map((s) => s.timers)), 0),
      atMost('event listeners, growth after warm-up', growth(after.map((s) => s.listeners)), 0),
      exactly('turns failed', counts.failed, 0),
      ...deliveryFigures(rig.tally, expected, rig.t0 + o.hours * HOUR, 30_000).filter((f) => !f.name.startsWith('last alert')),
    ];
    const notes = [
      `${counts.answered} turns answered (${counts.walks} setup walks by clicks), ${counts.failed} failed${counts.firstFailure ? ` (first: ${counts.firstFailure})` : ''}, over ${realMinutes.toFixed(1)} real minutes`,
      `after warm-up (hour ${WARM_UP_HOURS + 1}): ${at(after[0])}; at the end: ${at(after[after.length - 1])}`,
      `load average (1 min) while it ran: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${os.cpus().length} cores`,
    ];
    return { figures, notes };
  } finally {
    await rig.close();
  }
}
