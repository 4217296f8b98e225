import { atMost, deliveryFigures, exactly, type Figure } from './figures';
import { startWatchRig } from './watchRig';

const MINUTE = 60_000;

/**
 * (c) For `minutes`, the integrator does not answer for 60 s on 10 % of the projects and answers 500 on
 * another 10 %: every poll stays within its interval, the other projects are alerted on time, the
 * failing ones are backed off and their conversations told once that their runs cannot be read.
 */
export async function integratorFaults(o: { store: 'azure' | 'sqlite'; speed: number; minutes: number; projects?: number }): Promise<Figure[]> {
  // The healthy projects' latency is compared with a run without faults, in the same process.
  const baseline = await faultedRun(o, false);
  const faulted = await faultedRun(o, true);
  const p95 = (l: number[]) => l[Math.min(l.length - 1, Math.floor(l.length * 0.95))] / 1000;
  return [
    atMost('healthy projects: p95 alert latency vs no faults', p95(faulted.latencies) / p95(baseline.latencies), 1.2, 'x'),
    atMost('healthy projects: latest alert vs no faults (s)', (faulted.latencies.at(-1)! - baseline.latencies.at(-1)!) / 1000, 30),
    ...faulted.figures,
  ];
}

/** One run of (c), with or without the faults (the short form in npm test runs only the faulted one). */
export async function faultedRun(o: { store: 'azure' | 'sqlite'; speed: number; minutes: number; projects?: number; warmMinutes?: number }, withFaults: boolean): Promise<{ figures: Figure[]; latencies: number[] }> {
  const projects = o.projects ?? 100;
  const rig = await startWatchRig({ store: o.store, projects, channels: 10, everyMs: 2 * MINUTE, runMs: 30_000, speed: o.speed });
  try {
    const pollMs = 30_000;
    const tenth = Math.max(1, Math.round(projects / 10));
    const index = (name: string) => Number(name.slice('project-'.length));
    const hanging = (i: number) => i < tenth;
    const failing = (i: number) => i >= tenth && i < 2 * tenth;
    rig.lead();
    const from = rig.t0 + (o.warmMinutes ?? 3) * MINUTE;
    const to = from + o.minutes * MINUTE;
    if (withFaults) rig.integrator.faults.push(
      { projects: (n) => hanging(index(n)), delayMs: 60_000, from, until: to },
      { projects: (n) => failing(index(n)), status: 500, from, until: to },
    );
    await rig.runTo(from);
    const callsBefore = new Map(rig.integrator.calls);
    await rig.runTo(to);
    const callsDuring = (i: number) => (rig.integrator.calls.get(`project-${i}`) ?? 0) - (callsBefore.get(`project-${i}`) ?? 0);
    await rig.runTo(to + 20 * pollMs);
    const posted = rig.posted();
    const healthy = new Map<string, number>();
    const all = new Map<string, number>();
    for (let i = 0; i < projects; i++) {
      for (const run of rig.endedBetween(i, from, to)) {
        all.set(run, i);
        if (!hanging(i) && !failing(i)) healthy.set(run, i);
      }
    }
    const firstPost = new Map<string, number>();
    for (const p of posted) for (const r of p.runs) if (!firstPost.has(r)) firstPost.set(r, p.at);
    const endOf = (run: string) => { const [, i, k] = /run(\d+)x(-?\d+)/.exec(run)!; return rig.endOf(Number(i), Number(k)); };
    const latencies = [...healthy.keys()].map((r) => (firstPost.get(r) ?? Infinity) - endOf(r)).sort((a, b) => a - b);
    const notes = posted.filter((p) => p.text.includes('I cannot read the runs of'));
    const notedProjects = new Set(notes.map((p) => /project-\d+/.exec(p.text)?.[0]));
    const bad = Array.from({ length: projects }, (_, i) => i).filter((i) => hanging(i) || failing(i));
    const during = rig.polls.filter((p) => p.at >= from && p.at < to);
    const delivery = deliveryFigures(posted, all, to, pollMs).filter((f) => f.name !== 'last alert after recovery (polls)');
    // Without backoff a failing project would be looked at every poll, 4 attempts each (HTTP_MAX_RETRIES 3).
    const unbacked = (o.minutes * MINUTE / pollMs) * 4;
    return { latencies, figures: [
      atMost('longest poll during the faults (s)', Math.max(0, ...during.map((p) => p.durationMs)) / 1000, pollMs / 1000),
      // Backoff doubles up to 8 polls, so a short window (the npm test form) saves less than a long one.
      atMost('failing projects: calls vs a look every poll', Math.max(...bad.map(callsDuring)) / unbacked, o.minutes >= 10 ? 0.5 : 0.75, 'x'),
      exactly('"cannot read" notes', notes.length, bad.length),
      exactly('projects noted', notedProjects.size, bad.length),
      ...delivery,
    ] };
  } finally {
    await rig.close();
  }
}
