import { type RouteName, type ServedRoute, servedRoutes } from '../wire/routes';

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

interface CompiledRoute {
  name: RouteName;
  spec: ServedRoute;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

function compile(spec: ServedRoute, handler: Handler): CompiledRoute {
  const keys: string[] = [];
  const source = spec.path
    .split(/(\{\w+\})/)
    .map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!key) return escape(part);
      keys.push(key);
      return '([^/]+)';
    })
    .join('');
  return { name: spec.name, spec, pattern: new RegExp(`^${source}$`), keys, handler };
}

/** A match: the route and its decoded parameters, or the methods the path allows. */
export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] };

/** Serves exactly the routes of the sandbox's route table (the type demands a handler for each). */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(handlers: Readonly<Record<RouteName, Handler>>) {
    this.routes = servedRoutes().map((spec) => compile(spec, handlers[spec.name]));
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
