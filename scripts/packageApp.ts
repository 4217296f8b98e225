import { promises as fs } from 'fs';
import path from 'path';
import AdmZip from 'adm-zip';
import { config as loadDotenv } from 'dotenv';
import { fillTemplate } from './appPackage/fillTemplate';
import { ICONS, checkIcons, iconReferenceProblems } from './appPackage/icons';
import { parsePackageEnv } from './appPackage/packageEnv';
import { packageVersion } from './appPackage/packageVersion';
import { Manifest, validateManifest } from './appPackage/validateManifest';

export const TEMPLATE_FILE = 'manifest.template.json';
export const ZIP_FILE = 'data-integration-bot.zip';

export interface PackageOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the zip goes; default dist/appPackage. */
  outDir?: string;
  /** Where the template and icons are; default manifest/. */
  manifestDir?: string;
}

/** Either a written zip and its valid manifest, or every problem found (and the filled manifest, if it got that far). */
export type PackageResult =
  | { zipPath: string; manifest: Manifest; errors: [] }
  | { zipPath?: undefined; manifest?: unknown; errors: string[] };

/** Fills the manifest template from env, validates it and the icons, and writes the Teams app zip. */
export async function packageApp(options: PackageOptions = {}): Promise<PackageResult> {
  const manifestDir = path.resolve(options.manifestDir ?? 'manifest');
  const outDir = path.resolve(options.outDir ?? path.join('dist', 'appPackage'));
  const [template, iconErrors] = await Promise.all([readTemplate(manifestDir), checkIcons(manifestDir)]);
  const env = parsePackageEnv(options.env ?? process.env, packageVersion());
  if (!template.ok || !env.ok) {
    return { errors: [...(template.ok ? [] : [template.error]), ...(env.ok ? [] : env.errors), ...iconErrors] };
  }

  const filled = fillTemplate(template.value, env.values);
  const manifest = filled.value;
  const errors = [
    ...iconErrors,
    ...filled.unknown.map((key) => `template ${TEMPLATE_FILE}: placeholder \${{${key}}} has no value`),
    ...iconReferenceProblems(manifest),
    ...(await validateManifest(manifest)),
  ];
  if (errors.length > 0) return { manifest, errors };

  const zipPath = path.join(outDir, ZIP_FILE);
  await writeZip(zipPath, manifest, manifestDir);
  return { zipPath, manifest: manifest as Manifest, errors: [] };
}

async function readTemplate(dir: string): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const file = path.join(dir, TEMPLATE_FILE);
  try {
    return { ok: true, value: JSON.parse(await fs.readFile(file, 'utf8')) as unknown };
  } catch (err) {
    return { ok: false, error: `template ${file}: ${(err as Error).message}` };
  }
}

async function writeZip(zipPath: string, manifest: unknown, manifestDir: string): Promise<void> {
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const { file } of Object.values(ICONS)) zip.addFile(file, await fs.readFile(path.join(manifestDir, file)));
  await fs.mkdir(path.dirname(zipPath), { recursive: true });
  await zip.writeZipPromise(zipPath, { overwrite: true });
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const result = await packageApp({ env: process.env });
  if (result.zipPath === undefined) {
    const list = result.errors.map((e) => `  - ${e}`).join('\n');
    console.error(`Teams app package NOT written: ${result.errors.length} problem(s)\n${list}`);
    process.exitCode = 1;
    return;
  }
  const { id, version } = result.manifest;
  console.log(`Wrote ${path.relative(process.cwd(), result.zipPath)} (app ${id}, version ${version})`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
