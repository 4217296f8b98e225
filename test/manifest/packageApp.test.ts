import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import AdmZip from 'adm-zip';
import { packageApp, TEMPLATE_FILE, ZIP_FILE } from '../../scripts/packageApp';
import { SCHEMA_URL } from '../../scripts/appPackage/validateManifest';

// strip-bom 5, which @microsoft/app-manifest loads for its file readers, is ESM-only, and Jest's module loader cannot
// require() ESM as Node itself does. We only validate manifests held in memory, so a CommonJS stand-in is enough.
jest.mock(require.resolve('strip-bom', { paths: [require.resolve('@microsoft/app-manifest/package.json')] }), () => ({
  __esModule: true,
  default: (text: string) => text.replace(/^\uFEFF/, ''),
}));

const MANIFEST_DIR = path.resolve(__dirname, '../../manifest');
const BOT_ID = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const ENV = { MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'di-bot.example.com', APP_VERSION: '1.2.3' };

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'app-package-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A copy of manifest/ whose template has been changed by `edit`. */
async function brokenManifestDir(edit: (template: Record<string, any>) => void): Promise<string> {
  const dir = path.join(tmp, 'manifest');
  await fs.cp(MANIFEST_DIR, dir, { recursive: true });
  const template = JSON.parse(await fs.readFile(path.join(dir, TEMPLATE_FILE), 'utf8'));
  edit(template);
  await fs.writeFile(path.join(dir, TEMPLATE_FILE), JSON.stringify(template));
  return dir;
}

describe('packageApp', () => {
  it('writes a schema-valid 1.19 package with exactly manifest.json, color.png and outline.png at its root', async () => {
    const outDir = path.join(tmp, 'out');
    const result = await packageApp({ env: ENV, outDir, manifestDir: MANIFEST_DIR });
    if (result.zipPath === undefined) throw new Error(`package failed:\n${result.errors.join('\n')}`);

    expect(result.zipPath).toBe(path.join(outDir, ZIP_FILE));
    const zip = new AdmZip(result.zipPath);
    expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    for (const icon of ['color.png', 'outline.png']) {
      expect(zip.readFile(icon)).toEqual(await fs.readFile(path.join(MANIFEST_DIR, icon)));
    }

    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    expect(manifest).toEqual(result.manifest);
    expect(manifest.$schema).toBe(SCHEMA_URL);
    expect(manifest.manifestVersion).toBe('1.19');
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.name.short).toBe('Data Integration');
    expect(manifest.validDomains).toEqual(['token.botframework.com', 'di-bot.example.com']);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://botid-${BOT_ID}` });
    expect(manifest.developer.privacyUrl).toBe('https://di-bot.example.com/privacy');
    expect(JSON.stringify(manifest)).not.toContain('${{');

    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot).toMatchObject({ supportsFiles: false, isNotificationOnly: false });
    for (const list of bot.commandLists) expect(list.commands.length).toBeLessThanOrEqual(10);
    const titles = bot.commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title));
    expect(titles).toEqual(['set up account sync', 'status', 'schedule', 'history', 'help']);
    const covered = bot.commandLists.flatMap((l: { scopes: string[] }) => l.scopes).sort();
    expect(covered).toEqual(['groupChat', 'personal', 'team']);
  });

  it('defaults the app version to package.json and uses TEAMS_APP_ID and DEVELOPER_* when given', async () => {
    const appId = '0b6e2f8c-1111-4222-8333-944455556666';
    const result = await packageApp({
      env: { ...ENV, APP_VERSION: '', TEAMS_APP_ID: appId, DEVELOPER_NAME: 'Contoso IT', DEVELOPER_WEBSITE_URL: 'https://contoso.example/' },
      outDir: tmp,
      manifestDir: MANIFEST_DIR,
    });
    if (result.zipPath === undefined) throw new Error(result.errors.join('\n'));
    const pkg = JSON.parse(await fs.readFile(path.resolve(__dirname, '../../package.json'), 'utf8'));
    expect(result.manifest.version).toBe(pkg.version);
    expect(result.manifest.id).toBe(appId);
    expect(result.manifest.bots?.[0].botId).toBe(BOT_ID);
    expect(result.manifest.developer).toEqual({
      name: 'Contoso IT',
      websiteUrl: 'https://contoso.example/',
      privacyUrl: 'https://contoso.example/privacy',
      termsOfUseUrl: 'https://contoso.example/terms',
    });
  });

  it('names every missing or invalid env key in one message and writes nothing', async () => {
    const result = await packageApp({ env: { DEVELOPER_TERMS_URL: 'http://insecure.example' }, outDir: tmp, manifestDir: MANIFEST_DIR });
    expect(result.zipPath).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^environment: /);
    expect(result.errors[0]).toContain('MicrosoftAppId is required');
    expect(result.errors[0]).toContain('BOT_DOMAIN is required');
    expect(result.errors[0]).toContain('DEVELOPER_TERMS_URL must be an https:// URL');
    await expect(fs.readdir(tmp)).resolves.toEqual([]);
  });

  it('rejects a bot id that is not a GUID and a domain given as a URL', async () => {
    const result = await packageApp({ env: { MicrosoftAppId: 'my-bot', BOT_DOMAIN: 'https://di-bot.example.com/' }, outDir: tmp, manifestDir: MANIFEST_DIR });
    expect(result.errors).toEqual([expect.stringMatching(/MicrosoftAppId must be a GUID.*BOT_DOMAIN must be a host name/)]);
  });

  it('lists every schema error of a broken template and writes no zip', async () => {
    const manifestDir = await brokenManifestDir((t) => {
      t.name.short = 'Data Integration for Power Platform (too long)';
      t.bots[0].scopes.push('meeting');
      t.bots[0].commandLists[0].commands = Array.from({ length: 11 }, (_, i) => ({ title: `c${i}`, description: 'd' }));
      delete t.developer;
    });
    const result = await packageApp({ env: ENV, outDir: tmp, manifestDir });
    expect(result.zipPath).toBeUndefined();
    const errors = result.errors.join('\n');
    expect(errors).toMatch(/schema \/name\/short must NOT have more than 30 characters/);
    expect(errors).toMatch(/schema \/bots\/0\/scopes\/3 must be equal to one of the allowed values/);
    expect(errors).toMatch(/schema \/bots\/0\/commandLists\/0\/commands must NOT have more than 10 items/);
    expect(errors).toMatch(/schema must have required property 'developer'/);
    await expect(fs.readdir(tmp)).resolves.toEqual(['manifest']);
  });

  it('reports a placeholder with no env value and an icon the package does not ship', async () => {
    const manifestDir = await brokenManifestDir((t) => {
      t.developer.mpnId = '${{DEVELOPER_MPN_ID}}';
      t.icons.color = 'icons/color.png';
    });
    const result = await packageApp({ env: ENV, outDir: tmp, manifestDir });
    expect(result.errors).toEqual(
      expect.arrayContaining([
        `template ${TEMPLATE_FILE}: placeholder \${{DEVELOPER_MPN_ID}} has no value`,
        'manifest icons.color must be "color.png", the file at the zip root',
      ]),
    );
  });

  it('reports a template that is not JSON', async () => {
    const manifestDir = await brokenManifestDir(() => undefined);
    await fs.writeFile(path.join(manifestDir, TEMPLATE_FILE), '{ "manifestVersion": ');
    const result = await packageApp({ env: ENV, outDir: tmp, manifestDir });
    expect(result.errors).toEqual([expect.stringMatching(/^template .*manifest\.template\.json: /)]);
  });
});
