import type { ServiceName } from '../../../src/integration/errors';
import { ROUTES, type RouteName, type RouteSpec } from '../../../src/integration/routes';

/** What a handler gets from a request. */
export interface SandboxRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  /** `http://127.0.0.1:<port>`, as the caller reached the sandbox. */
  origin: string;
}

/** A handler's answer. */
export interface Reply {
  status: number;
  body: unknown;
}

/** Handles one route of the table. */
export type Handler = (request: SandboxRequest) => Reply | Promise<Reply>;

/** 200 with a body. */
export const ok = (body: unknown): Reply => ({ status: 200, body });
/** 201 with a body. */
export const created = (body: unknown): Reply => ({ status: 201, body });

/** Where each service lives under the sandbox's origin; Dataverse has one root per environment. */
export const SERVICE_ROOTS: Readonly<Record<ServiceName, string>> = {
  bap: '/bap/',
  powerapps: '/powerapps/',
  dataverse: '/dataverse/{environmentName}/',
  integrator: '/integrator/',
};

interface CompiledRoute {
  name: RouteName;
  spec: RouteSpec;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

function compile(name: RouteName, spec: RouteSpec, handler: Handler): CompiledRoute {
  const template = SERVICE_ROOTS[spec.service] + spec.path;
  const keys: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!key) return escape(part);
      keys.push(key);
      return '([^/]+)';
    })
    .join('');
  return { name, spec, pattern: new RegExp(`^${source}$`), keys, handler };
}

/** A match: the route and its decoded parameters, or the methods the path allows. */
export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] };

/** Serves exactly the routes of the client's route table (the type demands a handler for each). */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(handlers: Readonly<Record<RouteName, Handler>>) {
    this.routes = (Object.keys(ROUTES) as RouteName[]).map((name) => compile(name, ROUTES[name], handlers[name]));
  }

  /** Finds the route for a method and path; undefined when no route has that path. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const byPath = this.routes
      .map((route) => ({ route, found: route.pattern.exec(pathname) }))
      .filter((m): m is { route: CompiledRoute; found: RegExpExecArray } => m.found !== null);
    const hit = byPath.find((m) => m.route.spec.method === method);
    if (!hit) return byPath.length > 0 ? { allowed: byPath.map((m) => m.route.spec.method) } : undefined;
    const params = Object.fromEntries(hit.route.keys.map((key, i) => [key, decodeURIComponent(hit.found[i + 1] ?? '')]));
    return { route: hit.route, params };
  }
}
