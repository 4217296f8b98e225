import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { HttpClient } from '../../src/integration/http/httpClient';
import { applyRouteOverrides, loadRouteOverrides, RouteOverrideError } from '../../src/integration/routeOverrides';
import { isUnderBaseUrl, ROUTES, routeUrl } from '../../src/integration/routes';
import { staticTokenProvider } from '../../src/integration/tokens';
import { ensureBuilt } from '../helpers/build';
import { tempDataDir } from '../helpers/harness';
import { runBuilt } from '../helpers/processes';
import { runBuiltCheckWithEnv } from '../tenantCheck/runCheck';

const TOKEN = 'planted-bearer-token-7c1f';

/** A loopback "other host": every request it receives is a token that left its service. */
async function startOtherHost(): Promise<{ origin: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"value":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The forms found in the 2026-12-06 round of hostile route files: the file's text, and what the refusal names. */
function hostileFiles(other: string): Array<[name: string, text: string, refusal: RegExp]> {
  const host = other.replace(/^http:\/\//, '');
  const file = (routes: string) => `{"routes":{${routes}}}`;
  const path = (route: string, p: string) => file(`"${route}":{"method":"GET","path":${JSON.stringify(p)}}`);
  const segment = /routes\.listProjects: path segment ".*" may hold only/;
  return [
    ['an absolute URL', path('listProjects', `${other}/steal`), segment],
    ['an absolute URL in upper case', path('listProjects', `HTTP://${host}/steal`), segment],
    ['an absolute URL after spaces', path('listProjects', `   ${other}/steal`), segment],
    ['a UNC path', path('listProjects', `\\\\${host}\\steal`), segment],
    ['a slash and a UNC path', path('listProjects', `/\\\\${host}/steal`), segment],
    ['a tab between slashes', path('listProjects', `/\t//${host}/steal`), segment],
    ['a scheme with backslashes', path('listProjects', `http:\\\\${host}\\steal`), segment],
    ['a scheme without slashes', path('listProjects', `https:${host}/steal`), segment],
    ['a scheme-relative URL', path('listProjects', `//${host}/steal`), /routes\.listProjects: path has an empty segment/],
    ['user info', path('listProjects', `http://user:pw@${host}/steal`), segment],
    ['dot-dot segments', path('listProjects', 'api/../../steal'), /routes\.listProjects: path has a \. or \.\. segment/],
    ['encoded dot-dot segments', path('listProjects', 'api/%2e%2e/%2E%2E/steal'), segment],
    ['a data: URL', path('listProjects', 'data:application/json,{"value":[]}'), segment],
    ['a file: URL', path('listProjects', 'file:///etc/passwd'), segment],
    ['a query and a fragment', path('listProjects', `api/x?next=${other}#y`), segment],
    ['a duplicated path whose second value is hostile',
      file(`"listProjects":{"method":"GET","path":"api/ProjectSummary","path":"${other}/steal"}`), /routes\.listProjects: the key "path" appears twice/],
    ['a duplicated route whose second entry is hostile',
      file(`"listProjects":{"method":"GET","path":"api/ProjectSummary"},"listProjects":{"method":"GET","path":"${other}/steal"}`), /routes: the key "listProjects" appears twice/],
    ['a __proto__ entry', path('__proto__', 'api/x'), /routes\.__proto__: not a Data Integrator route/],
    ['a placeholder with spaces', path('getProject', 'api/Project/{ projectName }'), /routes\.getProject: path segment "\{ projectName \}" may hold only/],
    ['a dropped placeholder', path('getProject', 'api/Project'), /routes\.getProject: path parameter \{projectName\} is missing/],
    ['a placeholder twice', path('getProject', 'api/{projectName}/{projectName}'), /routes\.getProject: path parameter \{projectName\} appears twice/],
    ['a long path', path('listProjects', `api/${'a'.repeat(1000)}`), /routes\.listProjects: path is longer than 300 characters/],
    ['a 1 MB path', path('listProjects', `api/${'a'.repeat(1_000_000)}`), /could not be read as JSON \(it is \d+ bytes; a routes file is at most 65536\)/],
    ['an unknown key beside routes', `{"routes":{},"redirect":"${other}"}`, /\(file\): Unrecognized key: "redirect"/],
  ];
}

/** Starts the compiled production entry as an operator would, and waits for it to stop (or stops it after 2 minutes). */
const startBot = (env: Record<string, string>) => runBuilt('src/index.js', { PORT: '0', LOG_LEVEL: 'silent', ...env }, 120_000);

/** Runs `work` over `items`, `width` at a time (each item starts a process). */
async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

describe('INTEGRATOR_ROUTES_FILE cannot send a token to another host', () => {
  let other: Awaited<ReturnType<typeof startOtherHost>>;
  let forms: Array<[string, string, string, RegExp]>;
  const dir = tempDataDir();

  beforeAll(async () => {
    ensureBuilt();
    other = await startOtherHost();
    forms = hostileFiles(other.origin).map(([name, text, refusal], i) => {
      const file = path.join(dir, `routes-${i}.json`);
      fs.writeFileSync(file, text);
      return [name, file, text, refusal];
    });
  });
  afterEach(() => expect(other.received).toEqual([]));
  afterAll(async () => {
    await other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('each hostile form is refused with a message naming the entry', () => {
    for (const [name, file, , refusal] of forms) {
      let error: unknown;
      try { loadRouteOverrides(file); } catch (err) { error = err; }
      expect([name, error]).toEqual([name, expect.any(RouteOverrideError)]);
      expect([name, (error as Error).message]).toEqual([name, expect.stringMatching(refusal)]);
    }
  });

  // Each start loads the whole bot (seconds on a busy machine): one form per distinct refusal here; every form runs
  // through the same loader above and through the compiled tenant check below.
  test('the compiled bot does not start on them: exit 2, one message naming the entry, nothing sent', async () => {
    const onePerRefusal = forms.filter(([, , , refusal], i) => forms.findIndex((f) => f[3].source === refusal.source) === i);
    expect(onePerRefusal.length).toBeGreaterThanOrEqual(10);
    await inBatches(onePerRefusal, 3, async ([name, file, , refusal]) => {
      const { code, stderr } = await startBot({ INTEGRATOR_BASE_URL: `${other.origin}/integrator/`, INTEGRATOR_ROUTES_FILE: file });
      expect([name, code]).toEqual([name, 2]);
      expect([name, stderr]).toEqual([name, expect.stringMatching(new RegExp(`^Invalid configuration:\\n  INTEGRATOR_ROUTES_FILE: .*${refusal.source}`))]);
      expect(stderr).not.toMatch(/\n\s+at /);
      // The file's own characters reach the operator's terminal escaped.
      expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    });
  }, 600_000);

  test('npm run tenant-check -- --live refuses each of them before signing in: exit 2, nothing sent', () => {
    for (const [name, file, , refusal] of forms) {
      const run = runBuiltCheckWithEnv({ INTEGRATOR_ROUTES_FILE: file }, '--live', '--integrator-url', `${other.origin}/integrator/`, '--base-url', other.origin, '--token', TOKEN);
      expect([name, run.code]).toEqual([name, 2]);
      expect([name, run.stderr]).toEqual([name, expect.stringMatching(new RegExp(`^tenant-check: INTEGRATOR_ROUTES_FILE: .*${refusal.source}`))]);
      expect(run.stdout).toBe('');
    }
  }, 120_000);
});

describe('the HTTP client sends a token only under the base URL, whatever built the address', () => {
  let other: Awaited<ReturnType<typeof startOtherHost>>;
  beforeAll(async () => { other = await startOtherHost(); });
  afterEach(() => expect(other.received).toEqual([]));
  afterAll(() => other.close());

  const client = () => new HttpClient({ tokens: staticTokenProvider(TOKEN), timeoutMs: 2000, maxRetries: 0 });
  const send = (baseUrl: string, fields: { path?: string; link?: string }) => client().send({
    route: { ...ROUTES.listProjects, path: fields.path ?? ROUTES.listProjects.path }, baseUrl, scope: 'x', schema: z.unknown(),
    url: fields.link === undefined ? undefined : new URL(fields.link),
  });

  test.each<[string, string, { path?: string; link?: string }]>([
    ['a route table that names another host', 'http://127.0.0.1:1/integrator/', { path: 'OTHER/steal' }],
    ['a route that climbs out of the base path', 'OTHER/integrator/', { path: '../steal' }],
    ['a paging link to another host', 'http://127.0.0.1:1/integrator/', { link: 'OTHER/next' }],
    ['a paging link outside the base path on the same host', 'OTHER/integrator/', { link: 'OTHER/elsewhere' }],
    ['a paging link with user info', 'OTHER/integrator/', { link: 'http://u:p@HOST/integrator/next' }],
  ])('%s is refused before any token is sent', async (_name, base, fields) => {
    const at = (s: string) => s.replace('OTHER', other.origin).replace('HOST', other.origin.slice('http://'.length));
    await expect(send(at(base), { path: fields.path && at(fields.path), link: fields.link && at(fields.link) }))
      .rejects.toMatchObject({ code: 'refused_address', service: 'integrator' });
  });

  test('an empty parameter at the start of a path is refused, not turned into an absolute path', () => {
    const routes = applyRouteOverrides({ routes: { getProject: { method: 'GET', path: '{projectName}/http' } } }).routes;
    expect(() => routeUrl(`${other.origin}/tenant/integrator/`, routes.getProject, { projectName: '' })).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  test('property: any path the file accepts stays under the base URL, for any parameter value', () => {
    const piece = fc.constantFrom('/', '//', '\\', ':', '.', '..', '%2e', '%2F', '@', '?', '#', ' ', '\t', 'http', 'api', '{projectName}', '{x}', other.origin);
    fc.assert(fc.property(fc.array(piece, { maxLength: 10 }).map((p) => p.join('')), fc.string({ maxLength: 20 }), (path, projectName) => {
      let routes;
      try {
        routes = applyRouteOverrides({ routes: { getProject: { method: 'GET', path } } }).routes;
      } catch (err) {
        return err instanceof RouteOverrideError;
      }
      const base = `${other.origin}/tenant/integrator/`;
      try {
        return isUnderBaseUrl(routeUrl(base, routes.getProject, { projectName }), base);
      } catch (err) {
        // A parameter of "." or ".." (a dot segment) is refused as a validation error, never sent.
        return (err as { code?: string }).code === 'validation';
      }
    }), { numRuns: 2000 });
  });
});
