import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEPLOY_FILES, DEPLOY_STEPS, DeployStep } from '../../scripts/deploy/deploySteps';
import { RELEASE_FOLDER, RELEASE_ZIP } from '../../scripts/release/buildRelease';
import { PROJECT_ROUTES_FILE } from '../../scripts/release/releaseRoutes';
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

describe("the tenant check's routes file: npm run deploy and the Agents Toolkit ship the same one", () => {
  const docs = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');

  test('both build the release, which holds the routes file, and deploy that release; no setting or parameter names the file', () => {
    // atk deploy zips the folder build:release writes (the routes file beside index.js); npm run deploy deploys the
    // zip build:release makes of that same folder (the first test: the same steps).
    expect(project.deploy.find((a) => a.uses === 'cli/runNpmCommand')!.with!.args).toBe('run build:release');
    expect(clean(project.deploy.find((a) => a.uses === 'azureAppService/zipDeploy')!.with!.artifactFolder)).toBe(RELEASE_FOLDER.split(path.sep).join('/'));
    // Whatever a provision sets (atk provision passes the parameters file alone), it names no routes file that a later
    // deploy could leave pointing at nothing, nor drops one that the package holds.
    const parameters = JSON.parse(fs.readFileSync(path.join(ROOT, DEPLOY_FILES.parameters), 'utf8')) as { parameters: Record<string, unknown> };
    expect(Object.keys(parameters.parameters).filter((p) => /route/i.test(p))).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, DEPLOY_FILES.template), 'utf8')).not.toContain('INTEGRATOR_ROUTES_FILE');
  });

  test('the docs name the one place of the routes file for both ways, and no longer a --routes option or the trap it had', () => {
    for (const file of ['docs/deploy.md', 'docs/tenant-check.md', 'README.md']) {
      const text = docs(file);
      expect({ file, routesOption: /npm run deploy -- [^`]*--(no-)?routes\b/.test(text) }).toEqual({ file, routesOption: false });
      expect({ file, trap: /`atk deploy`[^]{0,300}?(stops at start|does not start)/.test(text) }).toEqual({ file, trap: false });
    }
    for (const file of ['docs/deploy.md', 'docs/tenant-check.md']) {
      const text = docs(file);
      expect({ file, namesTheFile: text.includes(PROJECT_ROUTES_FILE) }).toEqual({ file, namesTheFile: true });
      expect({ file, bothWays: /`atk deploy`/.test(text) && /npm run deploy/.test(text) }).toEqual({ file, bothWays: true });
    }
  });
});
