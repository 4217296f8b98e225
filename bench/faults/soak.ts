import v8 from 'node:v8';
import vm from 'node:vm';
import { atMost, deliveryFigures, type Figure } from './figures';
import { startWatchRig } from './watchRig';

const HOUR = 3_600_000;

/** A full garbage collection, so that RSS samples compare what is alive, not what is not yet collected. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Least-squares slope of (x, y) points. */
function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/**
 * Item 2's watcher half: `hours` of watching `projects` hourly projects on the simulated clock, with the
 * real stack. After a warm-up hour, RSS is sampled every simulated hour (after a full GC), with the
 * process's active handles and the simulated clock's pending timers; every run alerted once.
 */
export async function soak(o: { store: 'azure' | 'sqlite'; speed: number; hours: number; projects: number }): Promise<Figure[]> {
  const rig = await startWatchRig({ store: o.store, projects: o.projects, channels: Math.max(1, o.projects / 10), everyMs: HOUR, runMs: 60_000, speed: o.speed });
  try {
    rig.lead();
    const samples: Array<{ hour: number; rssMb: number; heapMb: number; handles: number; timers: number }> = [];
    for (let h = 1; h <= o.hours; h++) {
      await rig.runTo(rig.t0 + h * HOUR);
      collect();
      const memory = process.memoryUsage();
      samples.push({ hour: h, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20, handles: process.getActiveResourcesInfo().length, timers: rig.clock.countTimers() });
    }
    await rig.runTo(rig.t0 + o.hours * HOUR + 4 * 30_000);
    const after = samples.slice(1); // the first hour is the warm-up
    const expected = new Map<string, number>();
    for (let i = 0; i < o.projects; i++) for (const run of rig.endedBetween(i, rig.t0, rig.t0 + o.hours * HOUR)) expected.set(run, i);
    const growth = (pick: (s: (typeof samples)[number]) => number) => Math.max(0, ...after.map(pick)) - pick(after[0]);
    return [
      atMost('RSS slope after warm-up (MB per simulated hour)', slope(after.map((s) => [s.hour, s.rssMb])), 1),
      // The heap after a full GC tells a leak from RSS that the allocator keeps; the bench's own record of what was posted is in both.
      atMost('heap used slope after warm-up (MB per simulated hour)', slope(after.map((s) => [s.hour, s.heapMb])), 1),
      atMost('active handles, growth after warm-up', growth((s) => s.handles), 5),
      atMost('pending timers, growth after warm-up', growth((s) => s.timers), 5),
      ...deliveryFigures(rig.posted(), expected, rig.t0 + o.hours * HOUR, 30_000).filter((f) => !f.name.startsWith('last alert')),
    ];
  } finally {
    await rig.close();
  }
}
