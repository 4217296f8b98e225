import { atMost, deliveryFigures, type Figure } from './figures';
import { startWatchRig } from './watchRig';

const MINUTE = 60_000;

/**
 * (a) The Bot Connector answers 503 for `outageMinutes` while 100 projects in 10 channels finish a run
 * every 2 minutes (500 runs in 10 minutes): once it answers again, every alert is posted once, in order
 * within its thread, within two polls.
 */
export async function connectorOutage(o: { store: 'azure' | 'sqlite'; speed: number; outageMinutes: number; projects?: number; warmMinutes?: number }): Promise<Figure[]> {
  const projects = o.projects ?? 100;
  const rig = await startWatchRig({ store: o.store, projects, channels: 10, everyMs: 2 * MINUTE, runMs: 30_000, speed: o.speed });
  try {
    const pollMs = 30_000;
    rig.lead();
    const from = rig.t0 + (o.warmMinutes ?? 3) * MINUTE;
    const to = from + o.outageMinutes * MINUTE;
    await rig.runTo(from);
    rig.connector.injectFault({ status: 503, times: Number.POSITIVE_INFINITY });
    await rig.runTo(to);
    rig.connector.clearFaults();
    await rig.runTo(to + 4 * pollMs);
    const expected = new Map<string, number>();
    for (let i = 0; i < projects; i++) for (const run of rig.endedBetween(i, from, to)) expected.set(run, i);
    const during = rig.polls.filter((p) => p.at >= from && p.at < to);
    return [
      ...deliveryFigures(rig.posted(), expected, to, pollMs),
      atMost('longest poll during the outage (s)', Math.max(0, ...during.map((p) => p.durationMs)) / 1000, pollMs / 1000),
    ];
  } finally {
    await rig.close();
  }
}
