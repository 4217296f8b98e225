import type { RouteName, RouteSpec } from '../../src/integration/routes';
import { decoded } from './pathTemplate';

/** A route of the table, ready to match against the end of a URL path. */
export interface CompiledRoute {
  name: RouteName;
  spec: RouteSpec;
  pattern: RegExp;
  params: string[];
}

/** A call matched to a route: which, where the service's base path ends, and the path's parameters. */
export interface RouteHit {
  route: CompiledRoute;
  /** The part of the URL path before the route's own path (`/` or `/integrator/`). */
  basePath: string;
  params: Record<string, string>;
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Compiles `{param}` templates: each binds one path segment; the base path before them is free. */
export function compileRoutes(routes: Readonly<Record<string, RouteSpec>>): CompiledRoute[] {
  return Object.entries(routes).map(([name, spec]) => {
    const params: string[] = [];
    const source = spec.path.split(/(\{\w+\})/).map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!key) return escape(part);
      params.push(key);
      return '([^/]+)';
    }).join('');
    return { name: name as RouteName, spec, params, pattern: new RegExp(`^(.*?/)${source}/?$`, 'i') };
  });
}

/** The first route (in table order) whose method and path template fit the call. */
export function matchRoute(routes: readonly CompiledRoute[], method: string, pathname: string, options: { anyMethod?: boolean } = {}): RouteHit | undefined {
  for (const route of routes) {
    if (!options.anyMethod && route.spec.method !== method) continue;
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const params = Object.fromEntries(route.params.map((key, i) => [key, decoded(found[i + 2]!)]));
    return { route, basePath: found[1]!, params };
  }
  return undefined;
}

