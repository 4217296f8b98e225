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

/** How the runs expected were posted: none lost, none twice, in order within each project's thread, and when. */
export function deliveryFigures(posted: readonly Posted[], expected: ReadonlyMap<string, number>, recoveredAt: number, pollMs: number): Figure[] {
  const seen = new Map<string, number[]>();
  for (const p of posted) for (const run of p.runs) seen.set(run, [...(seen.get(run) ?? []), p.at]);
  const lost = [...expected.keys()].filter((r) => !seen.has(r)).length;
  const twice = [...seen.values()].filter((t) => t.length > 1).length;
  // In order: within a thread, a project's runs come in the order they ended (run k after run k-1).
  let outOfOrder = 0;
  const last = new Map<string, number>();
  for (const p of posted) {
    for (const run of p.runs) {
      const [, project, k] = /run(\d+)x(-?\d+)/.exec(run)!;
      const key = `${p.conversationId}|${project}`;
      if ((last.get(key) ?? -1) > Number(k)) outOfOrder++;
      last.set(key, Math.max(last.get(key) ?? -1, Number(k)));
    }
  }
  const latest = Math.max(0, ...[...expected.keys()].map((r) => (seen.get(r)?.[0] ?? Infinity) - recoveredAt));
  return [
    exactly('alerts expected', expected.size, expected.size),
    exactly('lost', lost, 0),
    exactly('posted twice', twice, 0),
    exactly('out of order in their thread', outOfOrder, 0),
    atMost('last alert after recovery (polls)', latest / pollMs, 2),
  ];
}

/** The figures that missed their goal, one line each (empty when every goal is met). */
export function missedGoals(figures: readonly Figure[]): string[] {
  return figures.filter((f) => !f.met).map((f) => `${f.name}: ${f.value} (goal ${f.goal})`);
}
