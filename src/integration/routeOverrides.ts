import fs from 'node:fs';
import { z } from 'zod';
import { type RouteName, ROUTES, type RouteSpec } from './routes';

/** The route table a client uses: ROUTES, with an admin's corrections applied. */
export type RouteTable = Readonly<Record<RouteName, RouteSpec>>;

/** The routes an override file may correct: the Data Integrator's, which Microsoft does not document. */
const INTEGRATOR_ROUTES = (Object.keys(ROUTES) as RouteName[]).filter((name) => ROUTES[name].service === 'integrator');

/** `INTEGRATOR_ROUTES_FILE`: `{ routes: { <routeName>: { method, path } } }`, as `npm run tenant-check -- --out` writes it. */
export const routeOverrideFileSchema = z.object({
  routes: z.record(
    z.string(),
    z.object({
      method: z.enum(['GET', 'PUT', 'POST'], { message: 'method must be GET, PUT or POST' }),
      path: z.string().trim().min(1).transform((p) => p.replace(/^\/+/, '')),
    }),
  ),
});

/** Type of an override file. */
export type RouteOverrideFile = z.input<typeof routeOverrideFileSchema>;

/** An override file that cannot be used; the message names the entry. */
export class RouteOverrideError extends Error {}

const paramsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** Applies an override file's content to ROUTES; overridden routes become `confirmed`. Throws RouteOverrideError. */
export function applyRouteOverrides(content: unknown): { routes: RouteTable; overridden: RouteName[] } {
  const parsed = routeOverrideFileSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RouteOverrideError(`${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const routes: Record<string, RouteSpec> = { ...ROUTES };
  const overridden: RouteName[] = [];
  for (const [name, entry] of Object.entries(parsed.data.routes)) {
    if (!(INTEGRATOR_ROUTES as string[]).includes(name)) {
      throw new RouteOverrideError(`routes.${name}: not a Data Integrator route (known: ${INTEGRATOR_ROUTES.join(', ')})`);
    }
    const spec = ROUTES[name as RouteName];
    const foreign = paramsOf(entry.path).filter((p) => !paramsOf(spec.path).includes(p));
    if (foreign.length > 0) {
      throw new RouteOverrideError(`routes.${name}: path parameter {${foreign[0]}} is not one of this route's (${paramsOf(spec.path).map((p) => `{${p}}`).join(', ') || 'none'})`);
    }
    routes[name] = Object.freeze({ ...spec, method: entry.method, path: entry.path, evidence: 'confirmed' as const });
    overridden.push(name as RouteName);
  }
  return { routes: Object.freeze(routes) as RouteTable, overridden };
}

/** Reads INTEGRATOR_ROUTES_FILE; without a file, ROUTES as they are. Throws RouteOverrideError naming the problem. */
export function loadRouteOverrides(file: string | undefined): { routes: RouteTable; overridden: RouteName[] } {
  if (!file) return { routes: ROUTES, overridden: [] };
  let content: unknown;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RouteOverrideError(`${file} could not be read as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return applyRouteOverrides(content);
}
