import { base } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from '../security/securityRig';

const failureLines = (logs: string) => logs.split('\n').filter((l) => l.includes('Teams SSO failed in the client'));

describe('Teams SSO failing in the client (the signin/failure invoke)', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); }, 60_000);
  afterAll(async () => { await rig.close(); });

  const post = (value: unknown) => rig.post({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'signin/failure', value });

  test('is acknowledged (200), and its code reaches the log as a warning saying what the operator should check', async () => {
    const res = await post({ code: 'resourcematchfailed', message: 'Resource match failed' });
    expect(res.status).toBe(200);
    const [line] = failureLines(rig.logs()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ level: 40, code: 'resourcematchfailed', message: 'Resource match failed' });
    expect(line.check).toMatch(/webApplicationInfo/);
    expect(line.check).toMatch(/api:\/\/botid-/);
  });

  test('a code the bot does not know still names the manifest\'s webApplicationInfo to check', async () => {
    const before = rig.logs().length;
    expect((await post({ code: 'somethingnew', message: 'x' })).status).toBe(200);
    const [line] = failureLines(rig.logs().slice(before)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ code: 'somethingnew' });
    expect(line.check).toMatch(/webApplicationInfo/);
  });

  test('a token in the message, a long message or a value of the wrong shape is never logged as it came', async () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'eyJzdWIiOiJhZGEifQ'}.${'s'.repeat(60)}`;
    const before = rig.logs().length;
    expect((await post({ code: 'tokenmissing', message: `failed for ${jwt} ${'x'.repeat(5000)}` })).status).toBe(200);
    expect((await post('a string')).status).toBe(200);
    expect((await post({ code: 42, message: { nested: true } })).status).toBe(200);
    const logs = rig.logs().slice(before);
    expect(logs).not.toContain('eyJ');
    expect(logs).not.toContain('x'.repeat(201));
    expect(failureLines(logs).map((l) => (JSON.parse(l) as { code: string }).code)).toEqual(['tokenmissing', 'unknown', 'unknown']);
    expect(logs).not.toContain('unhandled error in turn');
  });
});
