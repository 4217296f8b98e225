import type { ServiceName } from '../../src/integration/errors';
import type { RouteName } from '../../src/integration/routes';
import type { RouteTable } from '../../src/integration/routeOverrides';
import { serviceErrorWireSchema } from '../../src/integration/wire/common';
import { type Exchange, jsonOf } from './exchange';
import { fieldProblems } from './fieldProblems';
import { paramsOf, renameParams, stringsIn, templatePath } from './pathTemplate';
import { ROUTE_WIRES } from './routeCatalogue';
import { type CompiledRoute, compileRoutes, matchRoute } from './routeMatcher';
import { type ServiceHints, serviceOf } from './serviceOf';

/** A call of the capture, with the route it matched (or none: a candidate) and what was wrong with it. */
export interface CheckedCall {
  exchange: Exchange;
  service: ServiceName;
  route?: RouteName;
  /** The path relative to the service's base, ids and names as `{…}` (for a route: its own template). */
  template: string;
  problems: string[];
}

/** A call to the Data Integrator that fits no route, and the route it probably is. */
export interface Candidate {
  method: string;
  path: string;
  count: number;
  likely: RouteName | null;
  /** The candidate's path with the likely route's parameter names: what the override file gets. */
  overridePath?: string;
}

/** What a capture shows about the route table. */
export interface Analysis {
  baseUrls: Partial<Record<ServiceName, string>>;
  calls: CheckedCall[];
  candidates: Candidate[];
}

/** Problems of one call against its route's schemas (status, response body, request body). */
function problemsOf(route: RouteName, exchange: Exchange): string[] {
  if (exchange.status === 404) return ['HTTP 404: the service has no such route (find the real one in a capture)'];
  if (exchange.status < 200 || exchange.status >= 300) {
    const error = serviceErrorWireSchema.safeParse(jsonOf(exchange.responseBody));
    const message = error.success ? (error.data.error?.message ?? error.data.message) : undefined;
    return [`HTTP ${exchange.status}${message ? `: ${message}` : ''}`];
  }
  const wire = ROUTE_WIRES[route];
  const response = jsonOf(exchange.responseBody);
  const problems = response === undefined ? ['response: not JSON'] : fieldProblems(wire.response, response).map((p) => `response ${p}`);
  const request = jsonOf(exchange.requestBody);
  if (wire.request && request !== undefined) problems.push(...fieldProblems(wire.request, request).map((p) => `request ${p}`));
  return problems;
}

/** How many fields of a body a schema reads (what it keeps after parsing), or -1 when it does not parse. */
function fieldsRead(route: CompiledRoute, exchange: Exchange): number {
  const response = jsonOf(exchange.responseBody);
  if (response === undefined || (Array.isArray(response) && response.length === 0)) return -1;
  const request = ROUTE_WIRES[route.name].request;
  const body = jsonOf(exchange.requestBody);
  if (request && body !== undefined && !request.safeParse(body).success) return -1;
  const parsed = ROUTE_WIRES[route.name].response.safeParse(response);
  return parsed.success ? countFields(parsed.data) : -1;
}

/** Whether the route's request schema parses a body the candidate's calls sent. */
function readsTheBody(route: CompiledRoute, calls: readonly CheckedCall[]): boolean {
  const request = ROUTE_WIRES[route.name].request;
  return request !== undefined && calls.some((c) => {
    const body = jsonOf(c.exchange.requestBody);
    return body !== undefined && request.safeParse(body).success;
  });
}

function countFields(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countFields(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce<number>((n, v) => n + 1 + countFields(v), 0);
  return 0;
}

/**
 * The route a candidate probably is: its answer (and request) parse with that route's schemas. A read for a read and
 * a write for a write; then the route whose request schema reads the body, the same method, and the schema that reads
 * most of the answer (a loose one parses almost anything).
 */
function likelyRoute(calls: readonly CheckedCall[], integrator: readonly CompiledRoute[]): CompiledRoute | undefined {
  // A few answers tell the route apart; reading every call of a busy candidate again for each route would not.
  const ok = calls.filter((c) => c.exchange.status >= 200 && c.exchange.status < 300).slice(0, 20);
  const { method, template } = { method: calls[0]!.exchange.method, template: calls[0]!.template };
  // A read is never taken for a write nor a write for a read: a file saying `getProject: POST` would send every read to
  // the create route. A route whose request schema reads the captured body beats one that reads no body at all.
  const ranked = integrator
    .filter((route) => (route.spec.method === 'GET') === (method === 'GET'))
    .map((route) => ({ route, read: ok.reduce((most, c) => Math.max(most, fieldsRead(route, c.exchange)), -1) }))
    .filter((r) => r.read >= 0)
    .map((r) => ({ ...r, score: [readsTheBody(r.route, ok) ? 1 : 0, r.route.spec.method === method ? 1 : 0, r.read, r.route.params.length === paramsOf(template).length ? 1 : 0] }))
    .sort((a, b) => b.score.reduce((order, n, i) => order || n - a.score[i]!, 0));
  return ranked[0]?.route;
}

/** Matches every service call of a capture to the route table and checks it with the client's schemas. */
export function analyse(exchanges: readonly Exchange[], table: RouteTable, hints: ServiceHints = {}): Analysis {
  const compiled = compileRoutes(table);
  const integrator = compiled.filter((r) => r.spec.service === 'integrator');
  const baseUrls: Partial<Record<ServiceName, string>> = {};
  const knownNames = new Set<string>();
  exchanges.forEach((e) => { stringsIn(jsonOf(e.responseBody), knownNames); stringsIn(jsonOf(e.requestBody), knownNames); });
  const calls: CheckedCall[] = [];
  const unmatched: { exchange: Exchange }[] = [];
  for (const exchange of exchanges) {
    const service = serviceOf(exchange, integrator, hints);
    if (!service) continue;
    const hit = matchRoute(compiled.filter((r) => r.spec.service === service), exchange.method, exchange.url.pathname);
    if (!hit) {
      if (service === 'integrator') unmatched.push({ exchange });
      continue;
    }
    baseUrls[service] ??= exchange.url.origin + hit.basePath;
    calls.push({ exchange, service, route: hit.route.name, template: hit.route.spec.path, problems: problemsOf(hit.route.name, exchange) });
  }
  const base = baseUrls.integrator ? new URL(baseUrls.integrator).pathname : undefined;
  const groups = new Map<string, CheckedCall[]>();
  for (const { exchange } of unmatched) {
    const path = exchange.url.pathname;
    const relative = base && path.startsWith(base) ? path.slice(base.length) : path.includes('/api/') ? path.slice(path.indexOf('/api/') + 1) : path;
    if (!baseUrls.integrator && path.includes('/api/')) baseUrls.integrator = exchange.url.origin + path.slice(0, path.indexOf('/api/') + 1);
    const call: CheckedCall = { exchange, service: 'integrator', template: templatePath(relative, knownNames), problems: [] };
    const key = `${exchange.method} ${call.template}`;
    const group = groups.get(key);
    if (group) group.push(call);
    else groups.set(key, [call]);
    calls.push(call);
  }
  const candidates = [...groups.values()].map((group): Candidate => {
    const likely = likelyRoute(group, integrator);
    const overridePath = likely ? renameParams(group[0]!.template, likely.params) : undefined;
    return { method: group[0]!.exchange.method, path: group[0]!.template, count: group.length, likely: likely?.name ?? null, ...(overridePath ? { overridePath } : {}) };
  });
  return { baseUrls, calls, candidates };
}
