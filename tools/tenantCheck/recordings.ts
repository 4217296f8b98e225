import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { acceptsOverride, type RouteOverrideFile } from '../../src/integration/routeOverrides';
import type { Analysis } from './analyse';
import { jsonOf } from './exchange';
import { Sanitizer } from './sanitizer';
import { escapeControls } from './terminalText';
import { UnusableInput } from './unusableInput';

/** One sanitized call, as `--out` writes it and test/recordings keeps it. */
export const recordingSchema = z.object({
  /** The route of our table it matched, or null for a candidate. */
  route: z.string().nullable(),
  likely: z.string().nullable().optional(),
  service: z.enum(['bap', 'powerapps', 'dataverse', 'integrator']),
  method: z.enum(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']),
  /** Relative to the service's base URL, ids and names as `{…}`. */
  path: z.string(),
  status: z.number().int(),
  request: z.unknown().optional(),
  response: z.unknown().optional(),
});

/** A recording. */
export type Recording = z.infer<typeof recordingSchema>;

/** The alphabet of the file names `--out` writes; anything else in a name becomes `-`. */
const OUTSIDE_ALPHABET = /[^A-Za-z0-9-]+/g;

const FILE_NAME = /^[A-Za-z0-9-]{1,120}\.json$/;

/** `listProjects-200.json`, `candidate-POST-api-Projects-name-Run-200.json`: letters, digits and `-` only, at most 120 characters. */
export function recordingFileName(parts: readonly string[], status: number): string {
  const slug = parts.join('-').replace(OUTSIDE_ALPHABET, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '').slice(0, 90);
  return `${slug || 'call'}-${String(status).replace(OUTSIDE_ALPHABET, '-')}.json`;
}

/** One recording per distinct route (or candidate) and status, bodies sanitized; the first call of each wins. */
export function recordingsOf(analysis: Analysis, sanitizer: Sanitizer): Map<string, Recording> {
  const out = new Map<string, Recording>();
  for (const call of analysis.calls) {
    const { exchange } = call;
    sanitizer.dropHeaders(exchange.requestHeaders);
    sanitizer.dropHeaders(exchange.responseHeaders);
    const file = recordingFileName(call.route ? [call.route] : ['candidate', exchange.method, call.template.replace(/[{}]/g, '')], exchange.status);
    if (out.has(file)) continue; // only the first call of each is written, so only it is sanitized
    const request = jsonOf(exchange.requestBody);
    const response = jsonOf(exchange.responseBody);
    const recording: Recording = {
      route: call.route ?? null,
      ...(call.route ? {} : { likely: analysis.candidates.find((c) => c.method === exchange.method && c.path === call.template)?.likely ?? null }),
      service: call.service,
      method: exchange.method as Recording['method'],
      path: sanitizer.text(call.template),
      status: exchange.status,
      ...(request === undefined ? {} : { request: sanitizer.json(request) }),
      ...(response === undefined ? {} : { response: sanitizer.json(response) }),
    };
    out.set(file, recording);
  }
  return out;
}

/**
 * The override file for the candidates that were matched to a route (the first candidate per route). A
 * path the sanitizer would change holds a secret (`…/sig=…`), and one INTEGRATOR_ROUTES_FILE refuses would stop the
 * bot: both are left out, not written.
 */
export function overrideFileOf(analysis: Analysis): RouteOverrideFile {
  const clean = (template: string) => new Sanitizer().text(template) === template && escapeControls(template) === template;
  const routes: RouteOverrideFile['routes'] = {};
  for (const c of analysis.candidates) {
    if (!c.likely || !c.overridePath || !clean(c.overridePath) || routes[c.likely]) continue;
    const entry = { method: c.method as 'GET' | 'PUT' | 'POST', path: c.overridePath };
    // Only what the bot would start with: a path it refuses (a host, `%`, `..`) is a candidate to read, not to use.
    if (acceptsOverride(c.likely, entry)) routes[c.likely] = entry;
  }
  return { routes };
}

/** Throws UnusableInput with one line when `--out` names something that is not a folder. */
export function checkOutDir(dir: string): void {
  const found = fs.statSync(dir, { throwIfNoEntry: false });
  if (found && !found.isDirectory()) throw new UnusableInput(`--out ${dir} is a file: name a folder (it is created when missing)`);
}

/** The path of a file under `dir`, refused unless it stays inside it. */
function inside(dir: string, ...names: string[]): string {
  const root = path.resolve(dir);
  const file = path.resolve(root, ...names);
  const relative = path.relative(root, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) throw new UnusableInput(`--out: ${names.join('/')} would be written outside ${dir}`);
  return file;
}

/** Writes `integrator-routes.json` and `recordings/` under a folder; a failure is one line naming the file. */
export function writeOut(dir: string, overrides: RouteOverrideFile, recordings: ReadonlyMap<string, Recording>): void {
  checkOutDir(dir);
  const files: [string, unknown][] = [[inside(dir, 'integrator-routes.json'), overrides]];
  for (const [name, recording] of recordings) {
    if (!FILE_NAME.test(name)) throw new UnusableInput(`--out: ${name} is not a recording's file name`);
    files.push([inside(dir, 'recordings', name), recording]);
  }
  let current = dir;
  try {
    fs.mkdirSync(inside(dir, 'recordings'), { recursive: true });
    for (const [file, content] of files) {
      current = file;
      fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UnusableInput(`--out: could not write ${current} (${code})`);
  }
}
