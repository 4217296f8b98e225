import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RouteOverrideFile } from '../../src/integration/routeOverrides';
import type { Analysis } from './analyse';
import { jsonOf } from './exchange';
import type { Sanitizer } from './sanitizer';

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

/** One recording per distinct route (or candidate) and status, bodies sanitized; the first call of each wins. */
export function recordingsOf(analysis: Analysis, sanitizer: Sanitizer): Map<string, Recording> {
  const out = new Map<string, Recording>();
  for (const call of analysis.calls) {
    const { exchange } = call;
    sanitizer.dropHeaders(exchange.requestHeaders);
    sanitizer.dropHeaders(exchange.responseHeaders);
    const slug = call.route ?? `candidate-${exchange.method}-${call.template.replace(/[{}]/g, '').replace(/[^\w]+/g, '-')}`;
    const file = `${slug}-${exchange.status}.json`;
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
    if (!out.has(file)) out.set(file, recording);
  }
  return out;
}

/** The override file for the candidates that were matched to a route (the first candidate per route). */
export function overrideFileOf(analysis: Analysis): RouteOverrideFile {
  const routes: RouteOverrideFile['routes'] = {};
  for (const c of analysis.candidates) {
    if (c.likely && c.overridePath && !routes[c.likely]) routes[c.likely] = { method: c.method as 'GET' | 'PUT' | 'POST', path: c.overridePath };
  }
  return { routes };
}

/** Writes `integrator-routes.json` and `recordings/` under a folder. */
export function writeOut(dir: string, overrides: RouteOverrideFile, recordings: ReadonlyMap<string, Recording>): void {
  fs.mkdirSync(path.join(dir, 'recordings'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'integrator-routes.json'), `${JSON.stringify(overrides, null, 2)}\n`);
  for (const [file, recording] of recordings) fs.writeFileSync(path.join(dir, 'recordings', file), `${JSON.stringify(recording, null, 2)}\n`);
}
