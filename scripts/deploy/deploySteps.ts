import path from 'node:path';
import { RELEASE_FOLDER, RELEASE_ZIP } from '../release/buildRelease';

/** The files both ways of deploying use (`npm run deploy` and m365agents.yml), relative to the project root. */
export const DEPLOY_FILES = {
  template: 'infra/azuredeploy.json',
  parameters: 'infra/azuredeploy.parameters.json',
  releaseZip: RELEASE_ZIP.split(path.sep).join('/'),
  releaseFolder: RELEASE_FOLDER.split(path.sep).join('/'),
  manifest: 'manifest/manifest.template.json',
  appPackage: 'dist/appPackage/data-integration-bot.zip',
} as const;

/** Name of the resource group deployment, so that a second run updates the same one. */
export const DEPLOYMENT_NAME = 'data-integration-bot';

/** One step of a deployment, in the Agents Toolkit's vocabulary (the `uses:` of m365agents.yml). */
export type DeployStep =
  | { uses: 'arm/deploy'; template: string; parameters: string }
  | { uses: 'cli/runNpmCommand'; args: string }
  | { uses: 'azureAppService/zipDeploy'; artifact: string }
  | { uses: 'teamsApp/zipAppPackage'; manifest: string; output: string };

/** What `npm run deploy` does, in order: provision, build the release, deploy it, build the Teams app package. */
export const DEPLOY_STEPS: readonly DeployStep[] = [
  { uses: 'arm/deploy', template: DEPLOY_FILES.template, parameters: DEPLOY_FILES.parameters },
  { uses: 'cli/runNpmCommand', args: 'run build:release' },
  { uses: 'azureAppService/zipDeploy', artifact: DEPLOY_FILES.releaseZip },
  { uses: 'teamsApp/zipAppPackage', manifest: DEPLOY_FILES.manifest, output: DEPLOY_FILES.appPackage },
];

/** The template's outputs the later steps read. */
export interface TemplateOutputs { BOT_ID: string; BOT_DOMAIN: string; SSO_APP_ID: string; BOT_AZURE_APP_SERVICE_RESOURCE_ID: string; STORAGE_ACCOUNT_URL: string }

/** The environment of `npm run package` after a deployment: the bot's id and host, and the SSO app. */
export function packageEnvFromOutputs(outputs: TemplateOutputs): Record<string, string> {
  return { MicrosoftAppId: outputs.BOT_ID, BOT_DOMAIN: outputs.BOT_DOMAIN, SSO_APP_ID: outputs.SSO_APP_ID };
}
