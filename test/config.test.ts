import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { ROOT } from './helpers/build';
import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  test('an empty environment gives local mode with the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: 'local', PORT: 3978, DATA_DIR: './.data', LOG_LEVEL: 'info', START_SANDBOX: true, RUN_POLL_SECONDS: 30, APPROVAL_TTL_HOURS: 72, ALLOW_SELF_APPROVAL: false, SCHEDULE_APPROVERS: [] });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('an app id switches to Teams mode, which needs a real Data Integrator host and no sandbox', () => {
    const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const c = loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', INTEGRATOR_BASE_URL: 'https://pms.example.com/', SCHEDULE_APPROVERS: ` ${a} , ${b},,` });
    expect(c).toMatchObject({ mode: 'teams', START_SANDBOX: false, SCHEDULE_APPROVERS: [a, b] });
  });

  test('in Teams mode approvers are Entra object ids: a UPN or an e-mail (which would match nobody) is a config error naming it', () => {
    const teams = { MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', INTEGRATOR_BASE_URL: 'https://pms.example.com/' };
    expect(() => loadConfig({ ...teams, SCHEDULE_APPROVERS: '00000000-0000-4000-8000-00000000000a,bob@contoso.com' }))
      .toThrow(/SCHEDULE_APPROVERS: Entra object ids \(GUIDs\) in Teams mode, not "bob@contoso.com"/);
  });

  test('a managed-identity bot needs its tenant, as botbuilder does: a config error naming the key, not a failed start', () => {
    const msi = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI', INTEGRATOR_BASE_URL: 'https://pms.example.com/' };
    expect(() => loadConfig(msi)).toThrow(/MicrosoftAppTenantId: required for a UserAssignedMSI bot/);
    expect(() => loadConfig({ ...msi, MicrosoftAppTenantId: ' ' })).toThrow(ConfigError);
    expect(loadConfig({ ...msi, MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555' }).mode).toBe('teams');
  });

  test('every bad key is named in one error', () => {
    expect(() => loadConfig({ PORT: '-1', RUN_POLL_SECONDS: 'often', ALLOW_SELF_APPROVAL: 'maybe', BAP_BASE_URL: 'ftp://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '-1', RUN_POLL_SECONDS: 'often', ALLOW_SELF_APPROVAL: 'maybe', BAP_BASE_URL: 'ftp://x' });
    } catch (err) {
      const text = (err as Error).message;
      for (const key of ['PORT', 'RUN_POLL_SECONDS', 'ALLOW_SELF_APPROVAL', 'BAP_BASE_URL']) expect(text).toContain(key);
    }
  });
});

describe('what an operator writes in .env or the app settings', () => {
  const sample = () => dotenv.parse(fs.readFileSync(path.join(ROOT, '.env.sample')));
  const teams = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555' };

  test('.env.sample copied to .env as it is (as development.md says) starts the local try-out: a blank key is an unset key', () => {
    const c = loadConfig(sample());
    expect(c).toMatchObject({ mode: 'local', START_SANDBOX: true, PORT: 3978 });
    expect(c.BAP_BASE_URL).toBeUndefined();
  });

  test('.env.sample with the Teams keys filled in and the rest left blank starts in Teams mode', () => {
    const c = loadConfig({ ...sample(), ...teams, INTEGRATOR_BASE_URL: 'https://pms.example.com/' });
    expect(c).toMatchObject({ mode: 'teams', START_SANDBOX: false });
    expect([c.BOT_OAUTH_URL, c.SANDBOX_URL]).toEqual([undefined, undefined]);
  });

  test.each(['INTEGRATOR_BASE_URL', 'BAP_BASE_URL', 'POWERAPPS_BASE_URL', 'BOT_OAUTH_URL', 'SANDBOX_URL'])(
    'in Teams mode %s gets a token: plain http to another machine is refused at start, naming the key', (key) => {
      const env = { ...teams, INTEGRATOR_BASE_URL: 'https://pms.example.com/' };
      expect(() => loadConfig({ ...env, [key]: 'http://pms.example.com/' })).toThrow(new RegExp(`${key}: must be an https:// URL in Teams mode`));
      // A stand-in on this machine (the tests', a proxy of one's own) may speak http.
      expect(loadConfig({ ...env, [key]: 'http://127.0.0.1:3979/' }).mode).toBe('teams');
      expect(loadConfig({ ...env, [key]: 'https://other.example.com/' }).mode).toBe('teams');
    });

  test('in Teams mode BOT_OPENID_METADATA_URL says which channel tokens to trust: plain http off this machine is refused at start', () => {
    const env = { ...teams, INTEGRATOR_BASE_URL: 'https://pms.example.com/' };
    // Read over http, anyone on the way could hand the bot signing keys of their own, and forge activities it accepts.
    expect(() => loadConfig({ ...env, BOT_OPENID_METADATA_URL: 'http://login.botframework.com/v1/.well-known/openidconfiguration' }))
      .toThrow(/BOT_OPENID_METADATA_URL: must be an https:\/\/ URL in Teams mode/);
    expect(loadConfig({ ...env, BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys' }).mode).toBe('teams');
  });

  test('a service URL with a user name or password is refused at start, without repeating the password', () => {
    let message = '';
    try {
      loadConfig({ ...teams, INTEGRATOR_BASE_URL: 'https://admin:hunter2@pms.example.com/' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/INTEGRATOR_BASE_URL: must not hold a user name or password/);
    expect(message).not.toContain('hunter2');
  });
});
