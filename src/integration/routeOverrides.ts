import fs from 'node:fs';
import path from 'node:path';
import { visit } from 'jsonc-parser';
import { z } from 'zod';
import { type RouteName, ROUTES, type RouteSpec } from './routes';

/** The route table a client uses: ROUTES, with an admin's corrections applied. */
export type RouteTable = Readonly<Record<RouteName, RouteSpec>>;

/** The routes an override file may correct: the Data Integrator's, which Microsoft does not document. */
const INTEGRATOR_ROUTES = (Object.keys(ROUTES) as RouteName[]).filter((name) => ROUTES[name].service === 'integrator');
const CORRECTABLE = new Set<string>(INTEGRATOR_ROUTES);

/** Larger than any honest route file (the tenant check writes about 2 KB); a bigger one is refused unread. */
const MAX_FILE_BYTES = 64 * 1024;
const MAX_PATH_LENGTH = 300;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
/**
 * One path segment: RFC 3986's unreserved and sub-delimiter characters, `@`, and `{placeholders}`. Left out on
 * purpose: `:` (a first segment with one is a scheme, `https:host`), `%` (an encoded `.`, `/` or `\`), `/`, `\`,
 * `?`, `#`, white space and control characters. With no empty segment either, the path can name no other host.
 */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|\{[A-Za-z][A-Za-z0-9]*\})+$/;

/** An override file that cannot be used; the message names the entry. */
export class RouteOverrideError extends Error {}

const paramsOf = (path: string) => [...path.matchAll(PLACEHOLDER)].map((m) => m[1]!);
const braces = (names: string[]) => names.map((p) => `{${p}}`).join(', ') || 'none';
/** A piece of the file quoted in a message: short, and with control characters escaped (it reaches a terminal). */
const quoted = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Why a path is not a relative path template under the base URL with exactly the route's own placeholders. */
function pathProblem(path: string, own: string[]): string | undefined {
  if (path.length > MAX_PATH_LENGTH) return `path is longer than ${MAX_PATH_LENGTH} characters`;
  for (const segment of path.split('/')) {
    if (segment === '') return 'path has an empty segment (a leading //, a trailing / or // inside): it must be relative to the base URL';
    if (segment === '.' || segment === '..') return 'path has a . or .. segment: it must stay under the base URL';
    if (!SEGMENT.test(segment)) {
      return `path segment ${quoted(segment)} may hold only letters, digits, - . _ ~ ! $ & ' ( ) * + , ; = @ and {placeholders} (no scheme, host, backslash, %, ?, # or white space)`;
    }
  }
  const params = paramsOf(path);
  const foreign = params.find((p) => !own.includes(p));
  if (foreign) return `path parameter {${foreign}} is not one of this route's (${braces(own)})`;
  const twice = params.find((p, i) => params.indexOf(p) !== i);
  if (twice) return `path parameter {${twice}} appears twice`;
  const missing = own.find((p) => !params.includes(p));
  if (missing) return `path parameter {${missing}} is missing (this route's: ${braces(own)})`;
  return undefined;
}

/** One entry: a method and a path template; a single leading `/` is allowed and dropped. */
const entrySchema = (own: string[]) => z.strictObject({
  method: z.enum(['GET', 'PUT', 'POST'], { message: 'method must be GET, PUT or POST' }),
  path: z.string().transform((p) => p.replace(/^\//, '')),
}).superRefine(({ path }, ctx) => {
  const problem = pathProblem(path, own);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** `INTEGRATOR_ROUTES_FILE`: `{ routes: { <routeName>: { method, path } } }`, as `npm run tenant-check -- --out` writes it. */
const fileSchema = z.strictObject({
  routes: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'must be an object of routes' }),
});

/** Type of an override file. */
export type RouteOverrideFile = { routes: Partial<Record<RouteName, { method: 'GET' | 'PUT' | 'POST'; path: string }>> };

function refusal(issues: z.core.$ZodIssue[], prefix: string[]): RouteOverrideError {
  const issue = issues[0]!;
  return new RouteOverrideError(`${[...prefix, ...issue.path.map(String)].join('.') || '(file)'}: ${issue.message}`);
}

/** Applies an override file's content to ROUTES; overridden routes become `confirmed`. Throws RouteOverrideError. */
export function applyRouteOverrides(content: unknown): { routes: RouteTable; overridden: RouteName[] } {
  const file = fileSchema.safeParse(content);
  if (!file.success) throw refusal(file.error.issues, []);
  const corrections = new Map<RouteName, RouteSpec>();
  // Object.keys, not a zod record: a JSON `__proto__` key is an own key here, and refused like any unknown name.
  for (const name of Object.keys(file.data.routes)) {
    if (!CORRECTABLE.has(name)) throw new RouteOverrideError(`routes.${quoted(name).slice(1, -1)}: not a Data Integrator route (known: ${INTEGRATOR_ROUTES.join(', ')})`);
    const spec = ROUTES[name as RouteName];
    const entry = entrySchema(paramsOf(spec.path)).safeParse(file.data.routes[name]);
    if (!entry.success) throw refusal(entry.error.issues, ['routes', name]);
    // A correction never makes a route safer to resend: a write now sent as POST is not retried after a 5xx or a reset.
    const idempotent = spec.idempotent && (entry.data.method !== 'POST' || spec.method === 'POST');
    corrections.set(name as RouteName, Object.freeze({ ...spec, ...entry.data, idempotent, evidence: 'confirmed' as const }));
  }
  const routes = Object.fromEntries(Object.entries(ROUTES).map(([name, spec]) => [name, corrections.get(name as RouteName) ?? spec]));
  return { routes: Object.freeze(routes) as RouteTable, overridden: [...corrections.keys()] };
}

/** True when the bot would start with this one entry (the tenant check writes only such entries). */
export function acceptsOverride(name: RouteName, entry: { method: string; path: string }): boolean {
  try {
    applyRouteOverrides({ routes: { [name]: entry } });
    return true;
  } catch (err) {
    if (err instanceof RouteOverrideError) return false;
    throw err;
  }
}

/** The first key that stands twice in one object (JSON.parse would silently keep the second value). */
function duplicateKey(text: string): string | undefined {
  const objects: { keys: Set<string>; at: string }[] = [];
  let lastKey = '';
  let found: string | undefined;
  visit(text, {
    onObjectBegin: () => { const parent = objects.at(-1); objects.push({ keys: new Set(), at: parent ? [parent.at, lastKey].filter(Boolean).join('.') : '' }); },
    onObjectEnd: () => { objects.pop(); },
    onObjectProperty: (key) => {
      const object = objects.at(-1)!;
      if (object.keys.has(key)) found ??= `${object.at || '(file)'}: the key ${quoted(key)} appears twice`;
      object.keys.add(key);
      lastKey = key;
    },
  });
  return found;
}

/** The name `npm run build:release` gives the project's routes file in the release, beside index.js. */
export const RELEASE_ROUTES_FILE = 'integrator-routes.json';

/**
 * The routes file the bot reads: INTEGRATOR_ROUTES_FILE when set; else the one build:release shipped in the release,
 * when it holds one; else none (the built-in routes). `codeFolder` is the folder of the running code: in the release,
 * the bundle's, beside index.js; from src/ or dist/src/ (`npm start`, tests) a folder no routes file is put in, so a
 * local start keeps the built-in routes unless the variable is set.
 */
export function routesFileToRead(configured: string | undefined, codeFolder = __dirname): string | undefined {
  if (configured) return configured;
  const shipped = path.join(codeFolder, RELEASE_ROUTES_FILE);
  return fs.existsSync(shipped) ? shipped : undefined;
}

/** Reads a routes file (INTEGRATOR_ROUTES_FILE); without a file, ROUTES as they are. Throws RouteOverrideError naming the problem. */
export function loadRouteOverrides(file: string | undefined): { routes: RouteTable; overridden: RouteName[] } {
  return file ? routeOverridesOf(readRoutesFile(file), file) : { routes: ROUTES, overridden: [] };
}

/** A routes file's bytes, at most MAX_FILE_BYTES; a file that cannot be read is a RouteOverrideError. */
export function readRoutesFile(file: string): Buffer {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new Error(`it is ${size} bytes; a routes file is at most ${MAX_FILE_BYTES}`);
    return fs.readFileSync(file);
  } catch (err) {
    throw new RouteOverrideError(`${file} could not be read as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The route table a routes file's bytes (read from `file`) make; throws RouteOverrideError naming the problem. */
export function routeOverridesOf(bytes: Buffer, file: string): { routes: RouteTable; overridden: RouteName[] } {
  const text = bytes.toString('utf8');
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (err) {
    throw new RouteOverrideError(`${file} could not be read as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const twice = duplicateKey(text);
  if (twice) throw new RouteOverrideError(twice);
  return applyRouteOverrides(content);
}
