import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { approversProblem } from '../../src/config';
import { fillTemplate } from '../appPackage/fillTemplate';
import { PROJECT_ROUTES_FILE, projectRoutes, RoutesFileError, routesLine } from '../release/releaseRoutes';
import { az, azOrFail, checkSignedIn, DeployError, isAuthorizationFailure } from './azCli';
import { DEPLOY_FILES, DEPLOY_STEPS, DEPLOYMENT_NAME, packageEnvFromOutputs, TemplateOutputs } from './deploySteps';

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

const FLAGS = ['--resource-group', '-g', '--location', '-l'];
const USAGE = 'Usage: npm run deploy -- --resource-group <name> [--location <region>]';

/** What the command line asks for. */
interface DeployArgs { resourceGroup: string; location?: string }

/** `--resource-group <rg> [--location <region>]`; any other argument is refused rather than ignored. */
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
  const location = value('--location') ?? value('-l');
  for (let i = 0; i < argv.length; i += FLAGS.includes(argv[i]!) ? 2 : 1) {
    if (FLAGS.includes(argv[i]!)) continue;
    // The routes are what the project holds, so that the Agents Toolkit, which takes no option, ships the same.
    if (argv[i] === '--routes' || argv[i] === '--no-routes') {
      throw new DeployError(`${argv[i]} is not an option: the release ships ${PROJECT_ROUTES_FILE} when the project holds it (copy the checked file there, or delete it for the built-in routes), whichever way you deploy. ${USAGE}`);
    }
    throw new DeployError(`Unknown argument "${argv[i]}". ${USAGE}`);
  }
  if (!resourceGroup) throw new DeployError(USAGE);
  return { resourceGroup, location };
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

const noRightsOn = (resourceGroup: string) => `No rights to deploy to resource group ${resourceGroup}: the template assigns roles, so you need Owner (or Contributor and User Access Administrator) on it.`;

/** The parameters file with its placeholders filled, written to a private temporary file (it holds the secret). */
function filledParameters(root: string, env: z.infer<typeof deployEnvSchema>, subscriptionId: string, resourceGroup: string, dir: string): string {
  const suffix = env.RESOURCE_SUFFIX ?? createHash('sha256').update(`${subscriptionId}/${resourceGroup}`.toLowerCase()).digest('hex').slice(0, 6);
  const template = JSON.parse(fs.readFileSync(path.join(root, DEPLOY_FILES.parameters), 'utf8')) as unknown;
  const filled = fillTemplate(template, { ...env, RESOURCE_SUFFIX: suffix });
  if (filled.unknown.length > 0) throw new DeployError(`${DEPLOY_FILES.parameters}: no value for ${filled.unknown.join(', ')}`);
  const file = path.join(dir, 'parameters.json');
  fs.writeFileSync(file, JSON.stringify(filled.value), { mode: 0o600 });
  return file;
}

function npm(root: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const run = spawnSync('npm', args, { cwd: root, stdio: 'inherit', env });
  if (run.status !== 0) throw new DeployError(`npm ${args.join(' ')} failed (exit ${run.status ?? run.signal}): see above.`);
}

/**
 * Provisions (or updates) everything, deploys the release of the project at `root`, builds the Teams app package;
 * returns the package's path.
 */
export function deploy(argv: string[], root = ROOT): string {
  const { resourceGroup, location } = parseArgs(argv);
  // The routes file build:release will ship, checked first by the loader the bot starts with: a file the bot would
  // refuse never reaches Azure, and the operator sees which routes ship before anything is asked of it.
  console.log(routesLine(projectRoutes(root)));
  const account = checkSignedIn();
  console.log(`Signed in as ${account.user}, subscription ${account.subscriptionName} (${account.subscriptionId})`);
  const env = deployEnvSchema.safeParse(process.env);
  if (!env.success) throw new DeployError(`Set in the environment or .env: ${env.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  ensureResourceGroup(resourceGroup, account.subscriptionId, location);

  // Private to this run (the parameters hold the secret), removed when it ends.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-deploy-'));
  try {
    const parameters = filledParameters(root, env.data, account.subscriptionId, resourceGroup, workDir);
    let outputs: TemplateOutputs | undefined;
    let appPackage = '';
    for (const step of DEPLOY_STEPS) {
      switch (step.uses) {
        case 'arm/deploy':
          outputs = provision(root, resourceGroup, step.template, parameters);
          break;
        case 'cli/runNpmCommand':
          npm(root, [...step.args.split(' '), '--silent']);
          break;
        case 'azureAppService/zipDeploy':
          zipDeploy(root, resourceGroup, outputs!, step.artifact);
          break;
        case 'teamsApp/zipAppPackage':
          npm(root, ['run', '--silent', 'package'], { ...process.env, ...packageEnvFromOutputs(outputs!) });
          appPackage = path.join(root, step.output);
          break;
      }
    }
    return appPackage;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Validates (which also checks the rights) and creates or updates the deployment; returns the template's outputs. */
function provision(root: string, resourceGroup: string, templateFile: string, parameters: string): TemplateOutputs {
  const group = ['--resource-group', resourceGroup, '--name', DEPLOYMENT_NAME, '--template-file', path.join(root, templateFile), '--parameters', `@${parameters}`];
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
 */
function zipDeploy(root: string, resourceGroup: string, outputs: TemplateOutputs, artifact: string): void {
  const webApp = outputs.BOT_AZURE_APP_SERVICE_RESOURCE_ID.split('/').pop()!;
  azOrFail(['webapp', 'deploy', '--resource-group', resourceGroup, '--name', webApp, '--src-path', path.join(root, artifact), '--type', 'zip'], 'Deploying the release failed');
  console.log(`Deployed ${artifact} to ${webApp}, run from the package: health at https://${outputs.BOT_DOMAIN}/healthz (routesOverridden lists the routes its routes file corrects)`);
}

/** `npm run deploy -- …`: deploys the project at `root`; returns the exit code (2: a routes file the bot would refuse). */
export function runDeploy(argv: string[], root = ROOT): number {
  try {
    const appPackage = deploy(argv, root);
    console.log(`Done. Upload the Teams app package: ${appPackage}`);
    return 0;
  } catch (err) {
    if (!(err instanceof DeployError || err instanceof RoutesFileError)) throw err;
    console.error(err.message);
    return err instanceof RoutesFileError ? err.exitCode : 1;
  }
}

if (require.main === module) {
  loadDotenv({ quiet: true });
  process.exitCode = runDeploy(process.argv.slice(2));
}
