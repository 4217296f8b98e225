import fs from 'node:fs';
import v8 from 'node:v8';

/** Where the process's resident memory is, in MB: V8's heap, the malloc heap, other anonymous maps, mapped files. */
export interface MemoryBreakdown { externalMb: number; mallocHeapMb: number; anonMb: number; fileMb: number }

const mb = (kb: number) => kb / 1024;

/**
 * Reads /proc/self/smaps (Linux; zeros elsewhere): `[heap]` is glibc's main arena (what SQLite and the addons
 * allocate on the main thread), other anonymous maps are V8's pages, the threads' arenas and large allocations,
 * and file maps are the binary, its libraries and the SQLite shared-memory files.
 */
export function memoryBreakdown(): MemoryBreakdown {
  const m = process.memoryUsage();
  let heap = 0; let anon = 0; let file = 0;
  let kind: 'heap' | 'anon' | 'file' = 'anon';
  let smaps = '';
  try { smaps = fs.readFileSync('/proc/self/smaps', 'utf8'); } catch { /* not Linux */ }
  for (const line of smaps.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) { kind = header[1] === '[heap]' ? 'heap' : header[1].startsWith('/') ? 'file' : 'anon'; continue; }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const kb = Number(rss[1]);
    if (kind === 'heap') heap += kb; else if (kind === 'file') file += kb; else anon += kb;
  }
  return { externalMb: m.external / 2 ** 20, mallocHeapMb: mb(heap), anonMb: mb(anon), fileMb: mb(file) };
}

/** The breakdown as a short line. */
export const breakdownLine = (b: MemoryBreakdown) =>
  `${v8Line()}, external ${b.externalMb.toFixed(1)}, malloc heap ${b.mallocHeapMb.toFixed(1)}, other anon ${b.anonMb.toFixed(1)}, files ${b.fileMb.toFixed(1)} MB`;

const v8Line = () => {
  const physical = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, (s.physical_space_size / 2 ** 20).toFixed(1)]));
  return `V8 physical ${(v8.getHeapStatistics().total_physical_size / 2 ** 20).toFixed(1)} (young ${physical.new_space}, old ${physical.old_space})`;
};
