import { message } from './helpers/activities';
import { ensureBuilt } from './helpers/build';
import { tempDataDir } from './helpers/harness';
import { listeningUrl, startNode, waitForHealth } from './helpers/processes';
import { startLocalConnector } from '../dev/playground/localConnector';

const run = (env: Record<string, string>) => startNode('dev/local.js', env);

describe('the built bot as a process (what `npm start` runs)', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('starts, answers /healthz and a channel "help", and stops cleanly on SIGTERM', async () => {
    const connector = await startLocalConnector();
    const proc = run({ PORT: '0', SANDBOX_PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'info' });
    try {
      const url = await listeningUrl(proc, 60_000);
      const health = await waitForHealth(`${url}/healthz`, 30_000);
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'local', version: expect.any(String) });
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(connector.serviceUrl, 'help')),
      });
      expect(res.status).toBe(200);
      expect(connector.connector.messages()[0].activity.attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      const lines = proc.logs();
      const turn = lines.find((l) => l.msg === 'turn handled');
      expect(turn).toMatchObject({ conversationId: expect.any(String), activityId: expect.any(String) });
      expect(lines.some((l) => l.msg === 'bot stopped')).toBe(true);
      expect(proc.output()).not.toContain('DeprecationWarning'); // restify 11's DEP0111 was printed at every start; 12 has none
    } finally {
      proc.child.kill('SIGKILL');
      await connector.close();
    }
  }, 90_000);

  test('a bad environment stops the process with one message naming every offending key', async () => {
    const proc = run({ PORT: 'eighty', LOG_LEVEL: 'chatty', MicrosoftAppId: 'x', MicrosoftAppType: 'SingleTenant' });
    expect(await proc.exited).toBe(2);
    const out = proc.output();
    for (const key of ['PORT', 'LOG_LEVEL', 'MicrosoftAppTenantId', 'MicrosoftAppPassword', 'INTEGRATOR_BASE_URL']) expect(out).toContain(key);
    expect(out).not.toContain('    at '); // no stack trace
  }, 30_000);
});
