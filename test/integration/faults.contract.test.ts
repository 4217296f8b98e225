import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { ensureBuilt, ROOT } from '../helpers/build';
import { createLogger } from '../../src/logger';
import { DataIntegrationError } from '../../src/integration';
import { createAccountsProject } from './setupFixtures';
import { type Harness, startHarness } from './harness';

const failure = async (promise: Promise<unknown>): Promise<DataIntegrationError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof DataIntegrationError)) throw new Error(`expected a DataIntegrationError, got ${String(error)}`);
  return error;
};

const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

describe('the client under injected faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const fault = h.sandbox.faults.inject({ route: 'listTemplates', status: 429, retryAfterSeconds: 1, times: 1 });
    const { result, ms } = await timed(() => h.client.listTemplates());
    expect(result).toHaveLength(3);
    expect(fault.hits).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After beyond its limit, and says how long to wait', async () => {
    h.sandbox.faults.inject({ route: 'listTemplates', status: 429, retryAfterSeconds: 120, times: 1 });
    const error = await failure(h.clientWith({ maxRetryAfterMs: 5000 }).listTemplates());
    expect(error).toMatchObject({ code: 'throttled', status: 429, retryable: true, retryAfterMs: 120_000 });
  });

  it('retries 503 with backoff and succeeds', async () => {
    const fault = h.sandbox.faults.inject({ route: 'listProjects', status: 503, times: 2 });
    await expect(h.client.listProjects()).resolves.toEqual([]);
    expect(fault.hits).toBe(2);
  });

  it('gives up after the configured number of retries', async () => {
    const fault = h.sandbox.faults.inject({ route: 'listProjects', status: 500 });
    const error = await failure(h.clientWith({ maxRetries: 2 }).listProjects());
    expect(error).toMatchObject({ code: 'server_error', status: 500, retryable: true, service: 'integrator' });
    expect(fault.hits).toBe(3);
  });

  it('does not retry a 400', async () => {
    const fault = h.sandbox.faults.inject({ route: 'listProjects', status: 400 });
    expect(await failure(h.client.listProjects())).toMatchObject({ code: 'validation', status: 400, retryable: false });
    expect(fault.hits).toBe(1);
  });

  it('does not resend a run after a 500 (it may have started), but does after a 503', async () => {
    const { name } = await createAccountsProject(h.client);
    const fault500 = h.sandbox.faults.inject({ route: 'runProject', status: 500, times: 1 });
    expect(await failure(h.client.runProject(name))).toMatchObject({ code: 'server_error' });
    expect(fault500.hits).toBe(1);
    const fault503 = h.sandbox.faults.inject({ route: 'runProject', status: 503, times: 1 });
    await expect(h.client.runProject(name)).resolves.toEqual(expect.any(String));
    expect(fault503.hits).toBe(1);
    expect(await h.client.listExecutions(name)).toHaveLength(1);
  });

  it('times out a slow answer on every attempt', async () => {
    const fault = h.sandbox.faults.inject({ route: 'listEnvironments', delayMs: 5000 });
    const { result: error, ms } = await timed(() => failure(h.clientWith({ timeoutMs: 150, maxRetries: 1 }).listEnvironments()));
    expect(error).toMatchObject({ code: 'timeout', service: 'bap', retryable: true });
    expect(fault.hits).toBe(2);
    expect(ms).toBeLessThan(2000);
  });

  it('rejects a malformed answer, naming the service and the field', async () => {
    h.sandbox.faults.inject({ route: 'listEnvironments', body: { value: [{ name: 42 }] }, times: 1 });
    const error = await failure(h.client.listEnvironments());
    expect(error).toMatchObject({ code: 'malformed_response', service: 'bap', retryable: false });
    expect(error.message).toMatch(/Power Platform admin \(BAP\).*field value\.0\.id/);
  });

  it('refreshes an expired token once and retries', async () => {
    h.sandbox.faults.inject({ route: 'listProjects', expiredToken: true, times: 1 });
    await expect(h.client.listProjects()).resolves.toEqual([]);
    expect(h.tokens.refreshes).toBe(1);
  });

  it('refreshes only once when the service keeps refusing the token', async () => {
    h.sandbox.faults.inject({ route: 'listProjects', expiredToken: true });
    expect(await failure(h.client.listProjects())).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(h.tokens.refreshes).toBe(1);
  });

  it('says so when there is no token to send', async () => {
    const noUser = { getToken: async () => { throw new Error('The user is not signed in'); } };
    expect(await failure(h.clientWith({ tokens: noUser }).listProjects())).toMatchObject({ code: 'no_token', service: 'integrator' });
  });

  it('never writes a token to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const client = h.clientWith({ logger: createLogger('trace', sink), maxRetries: 1 });
    h.sandbox.faults.inject({ route: 'listProjects', expiredToken: true, times: 1 });
    h.sandbox.faults.inject({ route: 'listTemplates', status: 503 });
    await client.listProjects();
    await failure(client.listTemplates());
    expect(lines.join('')).toMatch(/service call failed/);
    expect(lines.join('')).not.toMatch(/test-token/);
  });
});

describe('the client under load', () => {
  it('sends 40 calls at once without a warning on the process (no listener piles up on one shared signal)', () => {
    // Its own process: Jest gives a test a copy of `process`, which never hears Node's warnings.
    ensureBuilt();
    const script = `
      const http = require('node:http');
      const { z } = require('zod');
      const { HttpClient } = require('./dist/src/integration/http/httpClient');
      const { ROUTES } = require('./dist/src/integration/routes');
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name));
      const server = http.createServer((req, res) => setTimeout(() => res.end('[]'), 50)).listen(0, '127.0.0.1', async () => {
        const client = new HttpClient({ tokens: { getToken: async () => 't' }, timeoutMs: 5000, maxRetries: 1 });
        const baseUrl = 'http://127.0.0.1:' + server.address().port + '/';
        const call = { route: ROUTES.listTemplates, baseUrl, scope: 's', schema: z.array(z.unknown()) };
        const answers = await Promise.all(Array.from({ length: 40 }, () => client.send(call)));
        setImmediate(() => { server.close(); process.stdout.write(JSON.stringify({ answers: answers.length, warnings })); });
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['--no-deprecation', '-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    expect(out).toEqual({ answers: 40, warnings: [] });
  });
});
