import type { ServiceName } from '../../src/integration/errors';
import type { Evidence, RouteName } from '../../src/integration/routes';
import type { RouteTable } from '../../src/integration/routeOverrides';
import type { Analysis, Candidate } from './analyse';
import type { Sanitizer } from './sanitizer';
import { escapeControls } from './terminalText';

/** One route's result. */
export interface RouteResult {
  name: RouteName;
  service: ServiceName;
  evidence: Evidence;
  status: 'matched' | 'mismatch' | 'not-seen';
  seen: number;
  problems: string[];
}

/** The `--json` report. */
export interface Report {
  baseUrls: Partial<Record<ServiceName, string>>;
  routes: RouteResult[];
  candidates: Candidate[];
  /** What the sanitizer removed, e.g. `5 values removed or replaced (authorization 2, guid 3)`. */
  removed: string;
  /** One line per call of the capture that could not be checked, e.g. `entry 12 (POST): its response body nests deeper than 100 levels; skipped`. */
  skipped: string[];
}

/** A string of the capture as it may be shown: sanitized, its control characters escaped. */
export const shownBy = (sanitizer: Sanitizer) => (text: string): string => escapeControls(sanitizer.text(text));

/** The report of an analysis over the given route table, every string of the capture sanitized and its control characters escaped. */
export function buildReport(analysis: Analysis, table: RouteTable, sanitizer: Sanitizer, skipped: readonly string[] = []): Report {
  const shown = shownBy(sanitizer);
  const routes = (Object.keys(table) as RouteName[]).map((name): RouteResult => {
    const calls = analysis.calls.filter((c) => c.route === name);
    const problems = [...new Set(calls.flatMap((c) => c.problems))].map(shown);
    const status = calls.length === 0 ? 'not-seen' : problems.length > 0 ? 'mismatch' : 'matched';
    return { name, service: table[name].service, evidence: table[name].evidence, status, seen: calls.length, problems };
  });
  const baseUrls = Object.fromEntries(Object.entries(analysis.baseUrls).map(([s, url]) => [s, shown(url)]));
  const candidates = analysis.candidates.map((c) => ({ ...c, method: shown(c.method), path: shown(c.path), ...(c.overridePath ? { overridePath: shown(c.overridePath) } : {}) }));
  return { baseUrls, routes, candidates, removed: sanitizer.summary(), skipped: skipped.map(shown) };
}

/** 0: every exercised route matched; 1: a mismatch or a candidate. */
export const exitCodeOf = (report: Report): 0 | 1 =>
  report.routes.some((r) => r.status === 'mismatch') || report.candidates.length > 0 ? 1 : 0;

function advice(route: RouteResult, candidates: readonly Candidate[]): string {
  const candidate = candidates.find((c) => c.likely === route.name);
  if (candidate && route.status !== 'matched') return `looks like ${candidate.method} ${candidate.path}: use the override file (--out)`;
  if (route.status === 'matched') return route.evidence === 'documented' ? '-' : 'holds in your tenant';
  if (route.status === 'mismatch') {
    return route.problems.some((p) => p.startsWith('HTTP 404'))
      ? 'find the real route; put it in the routes file (tenant-check/integrator-routes.json)'
      : 'shape differs: send the recording (--out) to the project';
  }
  return route.service === 'integrator' ? 'not exercised: click through the page that uses it' : '-';
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/** The report as a table a person reads in a terminal. */
export function reportTable(report: Report): string {
  const rows = report.routes.map((r) => [r.name, r.evidence, String(r.seen), r.status, advice(r, report.candidates)]);
  const head = ['route', 'evidence', 'seen', 'result', 'what to do'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, i === cells.length - 1 ? 0 : widths[i]!)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const r of report.routes.filter((x) => x.problems.length > 0)) {
    out.push('', `${r.name} (${r.status}):`, ...r.problems.map((p) => `  ${p}`));
  }
  if (report.candidates.length > 0) {
    out.push('', 'Calls to the Data Integrator that match no route (candidates):');
    for (const c of report.candidates) {
      out.push(`  ${c.method} ${c.path}  x${c.count}  ${c.likely ? `looks like ${c.likely}` : 'no route of ours answers like this'}`);
    }
  }
  out.push('', 'Base URLs seen:', ...Object.entries(report.baseUrls).map(([s, url]) => `  ${s}: ${url}`));
  if (report.baseUrls.integrator) out.push(`  (set INTEGRATOR_BASE_URL=${report.baseUrls.integrator})`);
  if (report.skipped.length > 0) out.push('', 'Calls of the capture not checked (nothing of them is written):', ...report.skipped.map((line) => `  ${line}`));
  out.push('', `Sanitized: ${report.removed}.`);
  return out.join('\n');
}
