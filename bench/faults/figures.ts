import type { Posted } from './watchRig';

/** One figure of a scenario, next to its goal. */
export interface Figure { name: string; value: string; goal: string; met: boolean }

/** A figure from a number and the most (or least) it may be. */
export function atMost(name: string, value: number, max: number, unit = ''): Figure {
  return { name, value: `${round(value)}${unit}`, goal: `≤ ${max}${unit}`, met: value <= max };
}
export function atLeast(name: string, value: number, min: number, unit = ''): Figure {
  return { name, value: `${round(value)}${unit}`, goal: `≥ ${min}${unit}`, met: value >= min };
}
export function exactly(name: string, value: number, wanted: number): Figure {
  return { name, value: String(value), goal: `= ${wanted}`, met: value === wanted };
}

const round = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 100) / 100);

/** Lowest run number k a tally can hold (the rig's history runs go back to -5). */
const FIRST_K = -16;

/**
 * What was posted, as counts: per run how often and first when, per thread and project the last run. A soak posts
 * tens of thousands of alerts; keeping each message would be the bench's own leak (issue 28, the soak).
 */
export class DeliveryTally {
  /** Per project: posts of run k at [k - FIRST_K], and when the first came. */
  private readonly counts = new Map<number, number[]>();
  private readonly firstAt = new Map<number, number[]>();
  private readonly lastInThread = new Map<string, number>();
  outOfOrder = 0;

  /** Counts one message the connector took. */
  add(p: Posted): void {
    for (const run of p.runs) {
      const [, project, k] = /run(\d+)x(-?\d+)/.exec(run)!.map(Number);
      const counts = this.counts.get(project) ?? [];
      const firstAt = this.firstAt.get(project) ?? [];
      this.counts.set(project, counts);
      this.firstAt.set(project, firstAt);
      counts[k - FIRST_K] = (counts[k - FIRST_K] ?? 0) + 1;
      firstAt[k - FIRST_K] ??= p.at;
      // In order: within a thread, a project's runs come in the order they ended (run k after run k-1).
      const key = `${p.conversationId}|${project}`;
      if ((this.lastInThread.get(key) ?? -Infinity) > k) this.outOfOrder++;
      this.lastInThread.set(key, Math.max(this.lastInThread.get(key) ?? -Infinity, k));
    }
  }

  /** How often run `run` was posted, and when first (undefined: never). */
  of(run: string): { count: number; firstAt?: number } {
    const [, project, k] = /run(\d+)x(-?\d+)/.exec(run)!.map(Number);
    return { count: this.counts.get(project)?.[k - FIRST_K] ?? 0, firstAt: this.firstAt.get(project)?.[k - FIRST_K] };
  }

  /** Runs posted more than once. */
  twice(): number {
    let n = 0;
    for (const counts of this.counts.values()) for (const c of counts) if (c > 1) n++;
    return n;
  }
}

/** The tally of a list of messages. */
export function tallyOf(posted: readonly Posted[]): DeliveryTally {
  const tally = new DeliveryTally();
  for (const p of posted) tally.add(p);
  return tally;
}

/** How the runs expected were posted: none lost, none twice, in order within each project's thread, and when. */
export function deliveryFigures(posted: readonly Posted[] | DeliveryTally, expected: ReadonlyMap<string, number>, recoveredAt: number, pollMs: number): Figure[] {
  const tally = posted instanceof DeliveryTally ? posted : tallyOf(posted);
  const lost = [...expected.keys()].filter((r) => tally.of(r).count === 0).length;
  const latest = Math.max(0, ...[...expected.keys()].map((r) => (tally.of(r).firstAt ?? Infinity) - recoveredAt));
  return [
    exactly('alerts expected', expected.size, expected.size),
    exactly('lost', lost, 0),
    exactly('posted twice', tally.twice(), 0),
    exactly('out of order in their thread', tally.outOfOrder, 0),
    atMost('last alert after recovery (polls)', latest / pollMs, 2),
  ];
}

/** The figures that missed their goal, one line each (empty when every goal is met). */
export function missedGoals(figures: readonly Figure[]): string[] {
  return figures.filter((f) => !f.met).map((f) => `${f.name}: ${f.value} (goal ${f.goal})`);
}
