import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { START_COMMAND } from '../../scripts/release/buildRelease';
import { RELEASE_ROUTES_FILE } from '../../src/integration/routeOverrides';
import { PROJECT_ROUTES_FILE } from '../../scripts/release/releaseRoutes';
import { ensureBuilt, ROOT } from '../helpers/build';
import { endOf } from '../helpers/processes';
import { pathWithAz } from './standInAz';

const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const BOT_ID = '11111111-2222-3333-4444-555555555555';
const SSO_APP_ID = '77777777-2222-3333-4444-555555555555';
const HOST = 'dibotabc123.azurewebsites.net';
const SITE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-bot/providers/Microsoft.Web/sites/dibotabc123`;
const deployment = {
  properties: {
    outputs: Object.fromEntries(Object.entries({
      BOT_ID, BOT_DOMAIN: HOST, SSO_APP_ID, BOT_AZURE_APP_SERVICE_RESOURCE_ID: SITE, STORAGE_ACCOUNT_URL: 'https://dibotabc123xyz.blob.core.windows.net/',
    }).map(([k, value]) => [k, { type: 'String', value }])),
    outputResources: [{ id: SITE }, { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-bot/providers/Microsoft.BotService/botServices/dibotabc123` }],
  },
};

/** `npm run deploy -- --resource-group rg-bot <args>` with a stand-in az that provisions and deploys; its calls and output. */
async function deployed(args: string[] = []): Promise<{ code: number | null; out: string; calls: string[]; log: string }> {
  const az = pathWithAz({
    'account show': { exit: 0, out: JSON.stringify({ id: SUBSCRIPTION, name: 'Contoso', user: { name: 'admin@contoso.example' } }) },
    'group show': { exit: 0, out: '{"name":"rg-bot"}' },
    'deployment group validate': { exit: 0, out: '{}' },
    'deployment group create': { exit: 0, out: JSON.stringify(deployment) },
    'webapp deploy': { exit: 0, out: '{}' },
  });
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/scripts/deploy/deploy.js'), '--resource-group', 'rg-bot', ...args], {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'di-deploy-cwd-')),
    env: {
      PATH: `${az.dir}${path.delimiter}${process.env.PATH}`, INTEGRATOR_BASE_URL: 'https://projectmanagementservice.example.invalid/',
      OAUTH_CLIENT_ID: SSO_APP_ID, SECRET_OAUTH_CLIENT_SECRET: 'not-a-real-secret', SCHEDULE_APPROVERS: 'b0b0b0b0-0000-4000-8000-00000000b0b0',
    },
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await endOf(child);
  const calls = fs.readFileSync(az.log, 'utf8').trim().split('\n').map((l) => l.replace(/ --only-show-errors -o json$/, ''));
  return { code, out, calls, log: az.log };
}

describe('npm run deploy, start to end, with a stand-in az', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('provisions with the filled parameters, deploys the release zip to the created Web App, and ends with the Teams app package for that bot', async () => {
    const { code, out, calls, log } = await deployed();
    expect({ code, out }).toMatchObject({ code: 0 });

    expect(calls.map((c) => c.split(' --')[0])).toEqual(['account show', 'group show', 'deployment group validate', 'deployment group create', 'webapp deploy']);
    expect(calls[3]).toContain(`--name data-integration-bot --template-file ${path.join(ROOT, 'infra/azuredeploy.json')} --parameters @`);
    expect(calls[4]).toBe(`webapp deploy --resource-group rg-bot --name dibotabc123 --src-path ${path.join(ROOT, 'dist/release/bot.zip')} --type zip`);
    // The deploy says which routes ship, before it asks anything of Azure: the built-in ones in a clean clone, the
    // project's checked file where an operator ran the tenant check here. Only the parameters file goes to the template.
    const routesHere = fs.existsSync(path.join(ROOT, PROJECT_ROUTES_FILE));
    const said = routesHere ? `Routes file ${PROJECT_ROUTES_FILE}: corrects` : `No routes file (${PROJECT_ROUTES_FILE}): the release ships the bot's built-in Data Integrator routes`;
    expect(out).toContain(said);
    expect(out.indexOf(said)).toBeLessThan(out.indexOf('Signed in as'));
    expect(calls[3]).toMatch(/ --parameters @\S+$/);
    // The zip deployed is the bundled release that the template's start command runs (from the package, read-only).
    const shipped = new AdmZip(path.join(ROOT, 'dist/release/bot.zip'));
    expect((JSON.parse(shipped.readAsText('package.json')) as { scripts: { start: string } }).scripts.start).toBe(START_COMMAND);
    expect(shipped.getEntry('index.js')).not.toBeNull();
    expect(shipped.getEntry(RELEASE_ROUTES_FILE) !== null).toBe(routesHere);
    expect(out).toContain('run from the package');
    // The same names on every run for this subscription and group: a second run updates what the first created.
    const suffix = createHash('sha256').update(`${SUBSCRIPTION}/rg-bot`).digest('hex').slice(0, 6);
    const params = JSON.parse(fs.readFileSync(`${log}.params`, 'utf8')) as { parameters: Record<string, { value: string }> };
    expect(params.parameters).toMatchObject({ resourceBaseName: { value: `dibot${suffix}` }, oauthClientId: { value: SSO_APP_ID }, oauthClientSecret: { value: 'not-a-real-secret' } });
    expect(out).not.toContain('not-a-real-secret');

    expect(out).toContain('Microsoft.Web/sites/dibotabc123');
    expect(out).toContain(`Bot id ${BOT_ID}, messaging endpoint https://${HOST}/api/messages`);
    // What the hand-made SSO step needs (docs/deploy.md, step 1).
    expect(out).toContain(`SSO_RESOURCE api://botid-${BOT_ID} (to expose on the app registration SSO_APP_ID ${SSO_APP_ID})`);
    const appPackage = path.join(ROOT, 'dist/appPackage/data-integration-bot.zip');
    expect(out.trim().split('\n').pop()).toBe(`Done. Upload the Teams app package: ${appPackage}`);
    const manifest = JSON.parse(new AdmZip(appPackage).readAsText('manifest.json')) as { bots: Array<{ botId: string }>; webApplicationInfo: unknown; validDomains: string[] };
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: SSO_APP_ID, resource: `api://botid-${BOT_ID}` });
    expect(manifest.validDomains).toContain(HOST);
  }, 400_000);
});
