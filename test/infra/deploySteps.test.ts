import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEPLOY_FILES, DEPLOY_STEPS, DeployStep } from '../../scripts/deploy/deploySteps';
import { ROUTES_PARAMETER } from '../../scripts/deploy/routesFile';
import { RELEASE_ZIP } from '../../scripts/release/buildRelease';
import { ROOT } from '../helpers/build';

interface Action { uses: string; with?: Record<string, unknown> }
const project = parse(fs.readFileSync(path.join(ROOT, 'm365agents.yml'), 'utf8')) as { provision: Action[]; deploy: Action[] };
const clean = (p: unknown) => path.posix.normalize(String(p)).replace(/^\.\//, '');

/** The Agents Toolkit's actions in the same terms as the deploy script's steps. */
function asSteps(actions: Action[]): DeployStep[] {
  return actions.flatMap((a): DeployStep[] => {
    const w = a.with ?? {};
    switch (a.uses) {
      case 'arm/deploy': return (w.templates as Array<{ path: string; parameters: string }>).map((t) => ({ uses: a.uses, template: clean(t.path), parameters: clean(t.parameters) }) as DeployStep);
      case 'cli/runNpmCommand': return [{ uses: a.uses, args: String(w.args) }];
      // The toolkit zips the folder itself; the script deploys the zip build:release made of that same folder.
      case 'azureAppService/zipDeploy': return [{ uses: a.uses, artifact: `${clean(w.artifactFolder)}.zip` }];
      case 'teamsApp/zipAppPackage': return [{ uses: a.uses, manifest: clean(w.manifestPath), output: clean(w.outputZipPath) }];
      default: return [];
    }
  });
}

describe('npm run deploy and m365agents.yml take the same steps', () => {
  test('same template, parameters file, release and app package, each exactly once', () => {
    const toolkit = asSteps([...project.provision, ...project.deploy]);
    const key = (s: DeployStep) => JSON.stringify(s);
    expect(toolkit.map(key).sort()).toEqual(DEPLOY_STEPS.map(key).sort());
    expect(DEPLOY_FILES.releaseZip).toBe(RELEASE_ZIP.split(path.sep).join('/'));
    // What `npm run package` writes (read as text: its manifest validator is an ES module Jest cannot load).
    expect(fs.readFileSync(path.join(ROOT, 'scripts/packageApp.ts'), 'utf8')).toContain(`ZIP_FILE = '${path.basename(DEPLOY_FILES.appPackage)}'`);
    for (const file of [DEPLOY_FILES.template, DEPLOY_FILES.parameters, DEPLOY_FILES.manifest]) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });

  test('both provision before they deploy, and deploy the release after building it', () => {
    for (const steps of [asSteps([...project.provision, ...project.deploy]), [...DEPLOY_STEPS]]) {
      const at = (uses: string) => steps.findIndex((s) => s.uses === uses);
      expect(at('arm/deploy')).toBe(0);
      expect(at('cli/runNpmCommand')).toBeLessThan(at('azureAppService/zipDeploy'));
    }
    expect(project.deploy.find((a) => a.uses === 'azureAppService/zipDeploy')!.with!.resourceId).toBe('${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
  });

  test("the parameters file's placeholders are the toolkit's env keys the script fills too", () => {
    const text = fs.readFileSync(path.join(ROOT, DEPLOY_FILES.parameters), 'utf8');
    const keys = [...text.matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]).sort();
    expect(keys).toEqual(['INTEGRATOR_BASE_URL', 'OAUTH_CLIENT_ID', 'RESOURCE_SUFFIX', 'SCHEDULE_APPROVERS', 'SECRET_OAUTH_CLIENT_SECRET']);
    const envDev = fs.readFileSync(path.join(ROOT, 'env/.env.dev'), 'utf8');
    for (const k of keys.filter((k) => !k.startsWith('SECRET_'))) expect(envDev).toMatch(new RegExp(`^${k}=`, 'm'));
  });
});

describe('the Agents Toolkit after npm run deploy -- --routes', () => {
  const docs = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');

  test('atk deploy sets no app setting and atk provision drops the routes: the docs say so, and what to run instead', () => {
    // atk deploy runs the deploy lifecycle only: no arm/deploy there, so INTEGRATOR_ROUTES_FILE keeps the value the last
    // provision set (integrator-routes.json after --routes), while the toolkit's zip of dist/release/bot holds no such file.
    expect(project.deploy.map((a) => a.uses)).not.toContain('arm/deploy');
    // atk provision passes the parameters file alone: integratorRoutesFile takes the template's default, empty.
    const parameters = JSON.parse(fs.readFileSync(path.join(ROOT, DEPLOY_FILES.parameters), 'utf8')) as { parameters: Record<string, unknown> };
    expect(parameters.parameters).not.toHaveProperty(ROUTES_PARAMETER);
    for (const file of ['docs/deploy.md', 'docs/tenant-check.md']) {
      const text = docs(file);
      expect({ file, saysLeftEmpty: /`atk deploy`\)? ships no routes file and leaves the setting empty/.test(text) }).toEqual({ file, saysLeftEmpty: false });
      expect({ file, atkDeployStopsTheBot: /`atk deploy`[^]{0,300}?(stops at start|does not start)/.test(text) }).toEqual({ file, atkDeployStopsTheBot: true });
      expect({ file, atkProvisionDropsRoutes: /`atk provision`[^]{0,300}?built-in routes/.test(text) }).toEqual({ file, atkProvisionDropsRoutes: true });
    }
  });
});
