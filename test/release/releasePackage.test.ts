import { spawnSync } from 'node:child_process';
import AdmZip from 'adm-zip';
import { NATIVE_ADDON, Release, START_COMMAND } from '../../scripts/release/buildRelease';
import { ensureRelease } from '../../scripts/release/releaseCache';
import { ROOT } from '../helpers/build';
import { removeSite, unzipped } from './releaseSite';

/** What a secret scanner flags: a PEM private key with its key material (not a parser's "BEGIN … PRIVATE KEY" literal). */
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=\s]{64,}/;
/** Folders and files that are neither run nor needed to run: dev-only code, tests, docs, lock files, CI, secrets. */
const NOT_SHIPPED = [
  /(^|\/)(dev|test|tests|__tests__|bench|scripts|tools|sandbox|playground|docs?|examples?|coverage|\.github|\.circleci|\.vscode)\//i,
  /(^|\/)\.env(\..*)?$/, /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/,
  /(^|\/)(README|CHANGELOG|HISTORY)[^/]*$/i, /\.(ts|mts|cts|md|markdown)$/i, /(^|\/)\.(travis|gitlab-ci|eslintrc|npmignore)[^/]*$/,
];

describe('the release package (what App Service runs)', () => {
  let release: Release;
  let zip: AdmZip;
  let names: string[];

  // The release `npm run build:release` makes (it bundles src/: seconds), shared with the suites that start it and the
  // deploy run's: whichever comes first builds it, the others wait for it.
  beforeAll(async () => {
    release = await ensureRelease(ROOT);
    zip = new AdmZip(release.zipPath);
    names = zip.getEntries().filter((e) => !e.isDirectory).map((e) => e.entryName.replace(/\\/g, '/'));
    console.log(`release zip: ${(release.bytes / 1024 / 1024).toFixed(1)} MB, ${names.length} files`);
  }, 300_000);

  test('holds the bundles with their source maps, the cards, package.json and the SQLite addon, and nothing else', () => {
    const beside = names.filter((n) => !/^(index|telemetrySdk|telemetryExporters|cardTemplating)\.js(\.map)?$/.test(n) && !/^cards\/\w+\.json$/.test(n) && n !== 'package.json');
    expect(beside.every((n) => /^node_modules\/(better-sqlite3|bindings|file-uri-to-path)\//.test(n))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['index.js', 'index.js.map', 'telemetrySdk.js', 'telemetrySdk.js.map', 'telemetryExporters.js', 'cardTemplating.js', 'package.json', NATIVE_ADDON]));
    expect(names.filter((n) => n.startsWith('cards/')).length).toBeGreaterThan(10);
    const pkg = JSON.parse(zip.readAsText('package.json')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ main: 'index.js', scripts: { start: START_COMMAND } });
    expect({ dependencies: pkg.dependencies, devDependencies: pkg.devDependencies }).toEqual({ dependencies: undefined, devDependencies: undefined });
  });

  test('the card templating engine is a bundle of its own, out of the one the start parses, and expands a card', () => {
    expect(zip.readAsText('index.js')).not.toContain('node_modules/adaptive-expressions/');
    const site = unzipped(release.zipPath);
    try {
      const expand = "const { Template } = require('./cardTemplating.js'); const t = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${if(late, name, \\'on time\\')}' }] };"
        + " process.stdout.write(JSON.stringify(new Template(t).expand({ $root: { late: true, name: 'Nightly sync' } })));";
      const run = spawnSync(process.execPath, ['-e', expand], { cwd: site, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Nightly sync' }] });
    } finally {
      removeSite(site);
    }
  });

  test('no dev-only code, tests, docs, lock files, CI folders, .env or private key', () => {
    const licence = /(^|\/)LICEN[CS]E[^/]*$/i;
    expect(names.filter((n) => !licence.test(n) && NOT_SHIPPED.some((p) => p.test(n)))).toEqual([]);
    const keys = zip.getEntries().filter((e) => !e.isDirectory && !e.entryName.endsWith('.node') && PRIVATE_KEY.test(e.getData().toString('latin1')));
    expect(keys.map((e) => e.entryName)).toEqual([]);
    // The bundle's own modules are those of src/ alone (the sandbox, playground and local entry live in dev/, the tools in tools/).
    for (const map of ['index.js.map', 'telemetrySdk.js.map']) {
      const { sources } = JSON.parse(zip.readAsText(map)) as { sources: string[] };
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.filter((s) => !/^src\/[\w/.-]+\.ts$/.test(s))).toEqual([]);
    }
    expect((JSON.parse(zip.readAsText('index.js.map')) as { sources: string[] }).sources).toContain('src/index.ts');
  });

  test('the source maps name no path outside the package', () => {
    for (const map of names.filter((n) => n.endsWith('.map'))) {
      const parsed = JSON.parse(zip.readAsText(map)) as { sources: string[]; sourceRoot?: string; file?: string };
      expect(parsed.sourceRoot ?? '').toBe('');
      expect(parsed.sources.filter((s) => s.startsWith('/') || s.split('/').includes('..') || /^[a-z]+:/i.test(s))).toEqual([]);
    }
    for (const bundle of ['index.js', 'telemetrySdk.js']) expect(zip.readAsText(bundle).trimEnd().endsWith(`//# sourceMappingURL=${bundle}.map`)).toBe(true);
    expect(zip.readAsText('cardTemplating.js')).not.toContain('sourceMappingURL');
  });
});
