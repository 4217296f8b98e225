import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from './runCheck';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'RS256' })}.${b64({ aud: 'https://IntegratorApp.com', upn: 'adele.vance@contoso.example' })}.PLANTEDSIGNATURE`;
const BODY_JWT = `${b64({ alg: 'RS256' })}.${b64({ sub: 'refresh' })}.ANOTHERPLANTEDSIG`;
const SECRETS = {
  bearer: JWT,
  bodyJwt: BODY_JWT,
  cookie: 'COOKIE-SECRET-4711',
  setCookie: 'SETCOOKIE-SECRET-0815',
  clientSecret: 'CLIENT-SECRET-Qx8~planted',
  code: '0.AXoA-planted-oauth-authorization-code-value',
  email: 'adele.vance@contoso.example',
  person: 'Adele Vance',
  tenantGuid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
};

const HOST = 'https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/';
const call = (method: string, url: string, response: unknown, request?: unknown) => ({
  request: {
    method, url,
    headers: [{ name: 'Authorization', value: `Bearer ${SECRETS.bearer}` }, { name: 'Cookie', value: `.AspNetCore.Session=${SECRETS.cookie}` }],
    ...(request === undefined ? {} : { postData: { text: JSON.stringify(request) } }),
  },
  response: { status: 200, headers: [{ name: 'Set-Cookie', value: `x-ms-session=${SECRETS.setCookie}; HttpOnly` }], content: { text: JSON.stringify(response) } },
});

/** A capture holding one of each kind of secret the check promises to remove. */
const har = {
  log: {
    version: '1.2',
    entries: [
      call('GET', `${HOST}api/Project/AccSync`, {
        id: SECRETS.tenantGuid, name: 'AccSync', owner: SECRETS.person, tenant: SECRETS.tenantGuid, entityMappingTasks: [],
        createdBy: { displayName: SECRETS.person, email: SECRETS.email }, note: `token was ${SECRETS.bodyJwt}`,
      }),
      call('GET', `${HOST}api/ProjectExecutionWithCompanies/${SECRETS.tenantGuid}`, { projectName: 'AccSync', projectExecutionResponses: [] }),
      call('GET', 'https://api.powerapps.com/providers/Microsoft.PowerApps/scopes/admin/environments/env1/connections', {
        value: [{ name: 'c1', id: 'c1', properties: { apiId: 'x/shared_commondataservice', displayName: `Connection of ${SECRETS.email}`, createdBy: { displayName: SECRETS.person, userPrincipalName: SECRETS.email } } }],
      }),
      // A renamed route whose request carries secrets: a candidate, so its bodies are written to recordings/.
      call('POST', `${HOST}api/Connect/AccSync`, { ok: true }, { client_secret: SECRETS.clientSecret, code: SECRETS.code, contact: SECRETS.email }),
    ],
  },
};

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('no output of the check (table, --json, every file --out writes) contains a planted secret', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-secrets-'));
  const file = path.join(dir, 'capture.har');
  fs.writeFileSync(file, JSON.stringify(har));
  const table = await runCheck('--har', file, '--out', path.join(dir, 'out-table'));
  const json = await runCheck('--har', file, '--json', '--out', path.join(dir, 'out-json'));
  const written = filesUnder(dir).filter((f) => f !== file);
  expect(written.length).toBeGreaterThanOrEqual(6);
  const outputs = [['stdout of the table', table.stdout], ['stdout of --json', json.stdout], ...written.map((f) => [f, fs.readFileSync(f, 'utf8')])];
  for (const [where, text] of outputs) {
    for (const [kind, secret] of Object.entries(SECRETS)) {
      expect({ where, kind, leaked: text!.toLowerCase().includes(secret.toLowerCase()) }).toEqual({ where, kind, leaked: false });
    }
  }
  // The report says what it removed, by kind.
  const removed = (JSON.parse(json.stdout) as { removed: string }).removed;
  for (const kind of ['authorization', 'cookie', 'jwt', 'secret', 'email', 'person', 'guid']) expect(removed).toMatch(new RegExp(`${kind} [1-9]`));
  // Shapes stay comparable: the same GUID became the same placeholder everywhere.
  const project = JSON.parse(fs.readFileSync(path.join(dir, 'out-json/recordings/getProject-200.json'), 'utf8')) as { response: { id: string; tenant: string } };
  expect(project.response.id).toMatch(/^00000000-0000-4000-8000-\d{12}$/);
  expect(project.response.tenant).toBe(project.response.id);
  expect(project.response).toMatchObject({ owner: '[person]', createdBy: { displayName: '[person]', email: '[person]' }, note: 'token was [jwt]' });
  const candidate = JSON.parse(fs.readFileSync(path.join(dir, 'out-json/recordings/candidate-POST-api-Connect-name-200.json'), 'utf8')) as { request: unknown };
  expect(candidate.request).toEqual({ client_secret: '[removed]', code: '[removed]', contact: 'person@example.invalid' });
});
