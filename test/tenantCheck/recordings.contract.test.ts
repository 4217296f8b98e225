import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { connectionSetRequestSchema } from '../../dev/sandbox/wire/connectionSet';
import { createProjectRequestSchema, saveAsTemplateRequestSchema } from '../../dev/sandbox/wire/project';
import { SERVICE_MOUNTS, servedRoutes } from '../../dev/sandbox/wire/routes';
import { scheduleRequestSchema } from '../../dev/sandbox/wire/schedule';
import { ROUTES, type RouteName } from '../../src/integration/routes';
import { fieldProblems } from '../../tools/tenantCheck/fieldProblems';
import { ROUTE_WIRES } from '../../tools/tenantCheck/routeCatalogue';
import { recordingSchema } from '../../tools/tenantCheck/recordings';

/** The bodies the sandbox validates on its side (its responses are typed, not parsed). */
const SANDBOX_REQUESTS: Partial<Record<string, z.ZodType>> = {
  createConnectionSet: connectionSetRequestSchema,
  createProject: createProjectRequestSchema,
  setSchedule: scheduleRequestSchema,
  saveProjectAsTemplate: saveAsTemplateRequestSchema,
};

const DIR = path.join(__dirname, '..', 'recordings');
const recordings = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((file) => {
  const recording = recordingSchema.parse(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));
  return [file, recording] as const;
});
const anyParam = (template: string) => template.replace(/\{\w+\}/g, '{}');

/**
 * Every recording (in the `tenant-check --out` format) against both readings of the wire: a recording
 * from a tenant dropped in test/recordings/ says at once whether the client's schema or the sandbox's is wrong.
 */
describe.each(recordings.filter(([, r]) => r.route !== null))('recording %s', (_, recording) => {
  const route = recording.route as RouteName;

  test('the client: same method and path, and its schemas parse the bodies', () => {
    expect(ROUTES[route]).toMatchObject({ method: recording.method, service: recording.service });
    expect(anyParam(ROUTES[route].path)).toBe(anyParam(recording.path));
    if (recording.status >= 300) return;
    expect(fieldProblems(ROUTE_WIRES[route].response, recording.response)).toEqual([]);
    const request = ROUTE_WIRES[route].request;
    if (request && recording.request !== undefined) expect(fieldProblems(request, recording.request)).toEqual([]);
  });

  test('the sandbox: it serves that method and path, and takes the request body', () => {
    const served = servedRoutes().find((s) => s.name === route);
    expect(served).toBeDefined();
    const root = SERVICE_MOUNTS[served!.service].root;
    expect({ method: served!.method, path: anyParam(served!.path.slice(root.length)) }).toEqual({ method: recording.method, path: anyParam(recording.path) });
    const request = SANDBOX_REQUESTS[route];
    if (request && recording.request !== undefined) expect(fieldProblems(request, recording.request)).toEqual([]);
  });
});

test('the recordings cover the routes a setup and a run use', () => {
  const routes = new Set(recordings.map(([, r]) => r.route));
  for (const name of ['listEnvironments', 'listConnections', 'whoAmI', 'listTemplates', 'createConnectionSet', 'createProject', 'runProject', 'listExecutions']) {
    expect(routes).toContain(name);
  }
});
