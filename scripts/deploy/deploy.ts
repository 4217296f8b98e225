import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { approversProblem } from '../../src/config';
import { fillTemplate } from '../appPackage/fillTemplate';
import { az, azOrFail, checkSignedIn, DeployError, isAuthorizationFailure } from './azCli';
import { DEPLOY_FILES, DEPLOY_STEPS, DEPLOYMENT_NAME, packageEnvFromOutputs, TemplateOutputs } from './deploySteps';
import { type CheckedRoutes, checkedRoutesFile, RELEASE_ROUTES_FILE, ROUTES_PARAMETER, RoutesFileError, writeReleaseWithRoutes } from './routesFile';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** What the parameters file's `${{KEY}}` placeholders are filled with (from the environment or .env). */
const deployEnvSchema = z.object({
  INTEGRATOR_BASE_URL: z.url({ protocol: /^https$/, error: 'must be the https:// Data Integrator host of your region' }),
  OAUTH_CLIENT_ID: z.guid({ error: "must be the client id (GUID) of the OAuth connection's app registration" }),
  SECRET_OAUTH_CLIENT_SECRET: z.string({ error: 'must be a client secret of that app registration' }).min(1),
  // The bot's own rule: a list it would refuse at every start is refused here, before anything is created.
  SCHEDULE_APPROVERS: z.string().default('').superRefine((list, ctx) => {
    const problem = approversProblem(list);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  RESOURCE_SUFFIX: z.string().regex(/^[a-z0-9]{1,8}$/, 'must be 1 to 8 lowercase letters or digits').optional(),
});

const FLAGS = ['--resource-group', '-g', '--location', '-l', '--routes', '--no-routes'];
const USAGE = 'Usage: npm run deploy -- --resource-group <name> [--location <region>] [--routes <integrator-routes.json> | --no-routes]';

/** What the command line asks for. */
interface DeployArgs { resourceGroup: string; location?: string; routes?: string; noRoutes: boolean }

/** `--resource-group <rg> [--location <region>] [--routes <file> | --no-routes]`. */
export function parseArgs(argv: string[]): DeployArgs {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const given = argv[i + 1];
    // `--resource-group --location westeurope` would otherwise name the group "--location".
    if (given === undefined || given.startsWith('--') || FLAGS.includes(given)) throw new DeployError(`${flag} needs a value (it is followed by ${given === undefined ? 'nothing' : `"${given}"`}). ${USAGE}`);
    return given;
  };
  const resourceGroup = value('--resource-group') ?? value('-g');
  if (!resourceGroup) throw new DeployError(USAGE);
  const routes = value('--routes');
  const noRoutes = argv.includes('--no-routes');
  if (routes !== undefined && noRoutes) throw new DeployError(`--routes and --no-routes exclude each other. ${USAGE}`);
  return { resourceGroup, location: value('--location') ?? value('-l'), routes, noRoutes };
}

/** The resource group, created when --location is given and it does not exist yet. */
function ensureResourceGroup(name: string, subscription: string, location?: string): void {
  const shown = az(['group', 'show', '--name', name]);
  if (shown.ok) return console.log(`Resource group ${name}: exists`);
  if (!location) throw new DeployError(`Resource group ${name} not found in subscription ${subscription}: create it, or pass --location <region> to have it created.`);
  const created = az(['group', 'create', '--name', name, '--location', location]);
  if (!created.ok) {
    throw new DeployError(isAuthorizationFailure(created.message)
      ? `No rights to create resource group ${name} in subscription ${subscription}: ask for Contributor on the subscription, or for an existing group.`
      : `Could not create resource group ${name}: ${created.message}`);
  }
  console.log(`Resource group ${name}: created in ${location}`);
}

/**
 * An update is "run the same command again", and each deployment sets every app setting anew: without --routes the
 * bot would go back to the unverified routes the operator corrected, unnoticed until a run fails. So a routes file
 * the earlier deployment shipped is dropped only when asked (--no-routes), and kept by passing --routes again.
 */
function checkEarlierRoutes(resourceGroup: string): void {
  const earlier = az(['deployment', 'group', 'show', '--resource-group', resourceGroup, '--name', DEPLOYMENT_NAME]);
  if (!earlier.ok) {
    if (/DeploymentNotFound|could not be found/i.test(earlier.message)) return;
    throw new DeployError(isAuthorizationFailure(earlier.message)
      ? noRightsOn(resourceGroup)
      : `Could not read the earlier deployment ${DEPLOYMENT_NAME} in ${resourceGroup} (to keep its routes file): ${earlier.message}`);
  }
  const file = (earlier.json as { properties?: { parameters?: Record<string, { value?: unknown }> } } | undefined)?.properties?.parameters?.[ROUTES_PARAMETER]?.value;
  if (typeof file === 'string' && file !== '') {
    throw new DeployError(`The bot in ${resourceGroup} reads corrected Data Integrator routes (${file}, shipped by an earlier --routes), and this deploy would drop them: pass --routes <file> again to keep them, or --no-routes to go back to the built-in routes.`);
  }
}

const noRightsOn = (resourceGroup: string) => `No rights to deploy to resource group ${resourceGroup}: the template assigns roles, so you need Owner (or Contributor and User Access Administrator) on it.`;

/** The parameters file with its placeholders filled, written to a private temporary file (it holds the secret). */
function filledParameters(env: z.infer<typeof deployEnvSchema>, subscriptionId: string, resourceGroup: string, dir: string): string {
  const suffix = env.RESOURCE_SUFFIX ?? createHash('sha256').update(`${subscriptionId}/${resourceGroup}`.toLowerCase()).digest('hex').slice(0, 6);
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, DEPLOY_FILES.parameters), 'utf8')) as unknown;
  const filled = fillTemplate(template, { ...env, RESOURCE_SUFFIX: suffix });
  if (filled.unknown.length > 0) throw new DeployError(`${DEPLOY_FILES.parameters}: no value for ${filled.unknown.join(', ')}`);
  const file = path.join(dir, 'parameters.json');
  fs.writeFileSync(file, JSON.stringify(filled.value), { mode: 0o600 });
  return file;
}

function npm(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const run = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit', env });
  if (run.status !== 0) throw new DeployError(`npm ${args.join(' ')} failed (exit ${run.status ?? run.signal}): see above.`);
}

/** Provisions (or updates) everything, deploys the release, builds the Teams app package; returns the package's path. */
export function deploy(argv: string[]): string {
  const { resourceGroup, location, routes: routesFile, noRoutes } = parseArgs(argv);
  // Checked first, by the loader the bot starts with: a file the bot would refuse never reaches Azure.
  const routes = routesFile === undefined ? undefined : checkedRoutesFile(routesFile);
  if (routes) console.log(`Routes file ${routesFile}: corrects ${routes.overridden.join(', ') || 'no route'}; shipped in the release as ${RELEASE_ROUTES_FILE} (INTEGRATOR_ROUTES_FILE=${RELEASE_ROUTES_FILE})`);
  const account = checkSignedIn();
  console.log(`Signed in as ${account.user}, subscription ${account.subscriptionName} (${account.subscriptionId})`);
  const env = deployEnvSchema.safeParse(process.env);
  if (!env.success) throw new DeployError(`Set in the environment or .env: ${env.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  ensureResourceGroup(resourceGroup, account.subscriptionId, location);
  if (!routes) {
    if (!noRoutes) checkEarlierRoutes(resourceGroup);
    console.log('No routes file: the bot uses its built-in Data Integrator routes (INTEGRATOR_ROUTES_FILE is empty; a routes file of an earlier deploy is not kept).');
  }

  // Private to this run (the parameters hold the secret), removed when it ends.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-deploy-'));
  try {
    const parameters = filledParameters(env.data, account.subscriptionId, resourceGroup, workDir);
    let outputs: TemplateOutputs | undefined;
    let appPackage = '';
    for (const step of DEPLOY_STEPS) {
      switch (step.uses) {
        case 'arm/deploy':
          outputs = provision(resourceGroup, step.template, parameters, routes ? [`${ROUTES_PARAMETER}=${RELEASE_ROUTES_FILE}`] : []);
          break;
        case 'cli/runNpmCommand':
          npm([...step.args.split(' '), '--silent']);
          break;
        case 'azureAppService/zipDeploy':
          zipDeploy(resourceGroup, outputs!, step.artifact, routes && { routes, workDir });
          break;
        case 'teamsApp/zipAppPackage':
          npm(['run', '--silent', 'package'], { ...process.env, ...packageEnvFromOutputs(outputs!) });
          appPackage = path.join(ROOT, step.output);
          break;
      }
    }
    return appPackage;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Validates (which also checks the rights) and creates or updates the deployment; returns the template's outputs.
 * `inline` are parameters given beside the file (`name=value`); one left out takes the template's default.
 */
function provision(resourceGroup: string, templateFile: string, parameters: string, inline: string[]): TemplateOutputs {
  const group = [
    '--resource-group', resourceGroup, '--name', DEPLOYMENT_NAME, '--template-file', path.join(ROOT, templateFile), '--parameters', `@${parameters}`,
    ...inline.flatMap((p) => ['--parameters', p]),
  ];
  const check = az(['deployment', 'group', 'validate', ...group]);
  if (!check.ok) {
    throw new DeployError(isAuthorizationFailure(check.message)
      ? noRightsOn(resourceGroup)
      : `The template does not validate in ${resourceGroup}: ${check.message}`);
  }
  console.log(`Provisioning in ${resourceGroup} (deployment ${DEPLOYMENT_NAME}; a second run updates the same resources)…`);
  const result = azOrFail(['deployment', 'group', 'create', ...group], 'Provisioning failed') as {
    properties: { outputs: Record<string, { value: string }>; outputResources?: Array<{ id: string }> };
  };
  for (const r of result.properties.outputResources ?? []) console.log(`  ${r.id.split('/providers/')[1] ?? r.id}`);
  const outputs = Object.fromEntries(Object.entries(result.properties.outputs).map(([k, v]) => [k, v.value])) as unknown as TemplateOutputs;
  console.log(`Bot id ${outputs.BOT_ID}, messaging endpoint https://${outputs.BOT_DOMAIN}/api/messages, state in ${outputs.STORAGE_ACCOUNT_URL}`);
  // What step 1 of the hand-made steps (Teams SSO, docs/deploy.md) needs, on the sign-in app registration.
  console.log(`SSO_RESOURCE api://botid-${outputs.BOT_ID} (to expose on the app registration SSO_APP_ID ${outputs.SSO_APP_ID})`);
  return outputs;
}

/**
 * Deploys the release zip to the Web App the template created. The template sets WEBSITE_RUN_FROM_PACKAGE=1, so App
 * Service keeps the zip and mounts it read-only as wwwroot instead of extracting it: the new version starts at once.
 * With a routes file, a copy of the release that also holds it is deployed (the release itself is shared by every run).
 */
function zipDeploy(resourceGroup: string, outputs: TemplateOutputs, artifact: string, withRoutes?: { routes: CheckedRoutes; workDir: string }): void {
  const webApp = outputs.BOT_AZURE_APP_SERVICE_RESOURCE_ID.split('/').pop()!;
  let zip = path.join(ROOT, artifact);
  if (withRoutes) {
    zip = path.join(withRoutes.workDir, path.basename(artifact));
    writeReleaseWithRoutes(path.join(ROOT, artifact), withRoutes.routes, zip);
  }
  azOrFail(['webapp', 'deploy', '--resource-group', resourceGroup, '--name', webApp, '--src-path', zip, '--type', 'zip'], 'Deploying the release failed');
  const health = `health at https://${outputs.BOT_DOMAIN}/healthz`;
  console.log(withRoutes
    ? `Deployed ${artifact} with ${RELEASE_ROUTES_FILE} to ${webApp}, run from the package: ${health} lists routesOverridden`
    : `Deployed ${artifact} to ${webApp}, run from the package: ${health}`);
}

if (require.main === module) {
  loadDotenv({ quiet: true });
  try {
    const appPackage = deploy(process.argv.slice(2));
    console.log(`Done. Upload the Teams app package: ${appPackage}`);
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    console.error(err.message);
    process.exitCode = err instanceof RoutesFileError ? err.exitCode : 1;
  }
}
