import fs from 'node:fs';
import path from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { build, type Plugin } from 'esbuild';

/**
 * The production entries, one bundle each. The telemetry SDKs are a bundle of their own: src/telemetry/startTelemetry.ts
 * requires it only when an exporter is configured, so that a bot without telemetry never reads them.
 */
export const BUNDLES = { index: 'src/index.ts', telemetrySdk: 'src/telemetry/telemetrySdk.ts' } as const;

/**
 * Packages left out of the bundle, each for a reason:
 * - better-sqlite3: a native addon (a compiled .node file no bundler can inline); shipped beside the bundle
 *   (see NATIVE_PACKAGES) and loaded only when STATE_STORE=sqlite.
 * - dtrace-provider: restify's optional DTrace probes, a native addon the install never builds (allowScripts);
 *   restify catches its absence and uses no-op probes, as it does today.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider'];

/**
 * Packages whose ES module build the bundle takes, so that only the functions the bot calls are kept: date-fns
 * is imported by our code alone (its CommonJS index loads all 250 of its functions). Every other package is
 * resolved as Node resolves the compiled bot (`require`): many publish both builds, and a dependency that
 * `require`s the same package would otherwise bundle it twice.
 */
const ES_MODULE_BUILDS = new Set(['date-fns']);

/**
 * Drops the source map comment of each dependency's file. esbuild would otherwise follow it into the package's own
 * map, whose sources point at TypeScript files the package does not ship (often `../../src/…`, which resolves into
 * our own src/ folder and would put their line numbers on our files).
 */
const ignoreDependencyMaps: Plugin = {
  name: 'ignore-dependency-maps',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      return stripped === text ? undefined : { contents: stripped, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** Resolves our `import` statements as the `require` calls tsc makes of them, and points startTelemetry at the SDK bundle. */
const resolveAsNode: Plugin = {
  name: 'resolve-as-node',
  setup(b) {
    b.onResolve({ filter: /^\.\/telemetrySdk$/ }, (args) =>
      (args.importer.endsWith(path.join('src', 'telemetry', 'startTelemetry.ts')) ? { path: './telemetrySdk.js', external: true } : undefined));
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (args.kind !== 'import-statement' || args.pluginData === 'as-require' || args.importer.includes(`${path.sep}node_modules${path.sep}`) || ES_MODULE_BUILDS.has(pkg)) return undefined;
      const resolved = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: 'as-require' });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : resolved;
    });
  },
};

/**
 * Bundles the production entries of `root` into `folder` (index.js, telemetrySdk.js and their source maps). The
 * code is minified in whitespace and syntax only: names stay as written, so that nothing that reads a class or
 * function name changes, and stacks stay readable. Returns the bundles' paths.
 */
export async function bundle(root: string, folder: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: BUNDLES,
    outdir: folder,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: EXTERNAL,
    // tr46, whatwg-url and tough-cookie ask for `punycode`, which Node answers with its deprecated built-in, warning on
    // stderr once the caller is no longer under node_modules (the bundle): the userland package of the same API instead.
    // jsonc-parser (the routes file's duplicate keys): its `main` is a UMD wrapper whose `require('./impl/…')` calls
    // esbuild cannot follow, and it has no `exports` to choose its ES build by; name that build.
    alias: { punycode: 'punycode/', 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    plugins: [resolveAsNode, ignoreDependencyMaps],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const bundles = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).map((f) => path.resolve(root, f));
  const ownInputs = new Set(Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('<')));
  for (const file of bundles) keepOwnSources(`${file}.map`, root, ownInputs);
  return bundles;
}

/**
 * Keeps in a source map only the mappings into the bot's own sources, named relative to the package (`src/app.ts`):
 * a stack then names the .ts file and line of our code, and the map names no path outside the package. Frames in
 * a dependency keep the bundle's line and column; mapping them too would make the map ten times larger, and
 * Node reads the whole map at start when source maps are enabled.
 */
export function keepOwnSources(mapFile: string, root: string, ownInputs: Set<string>): void {
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[]; names: string[]; mappings: string; sourceRoot?: string };
  const own = map.sources.map((s) => path.relative(root, path.resolve(path.dirname(mapFile), s)))
    .map((rel) => rel.split(path.sep).join('/')).map((rel) => (ownInputs.has(rel) ? rel : undefined));
  const kept = [...new Set(own.filter((s): s is string => s !== undefined))];
  const sourceIndex = new Map(kept.map((s, i) => [s, i]));
  // One segment per run of generated code from the same source line: a stack names the file and line (the column is
  // that of the line's first mapped token). Node parses every segment of the map when the bundle loads, so each costs memory.
  const lines = decode(map.mappings).map((line) => {
    let previous = '';
    return line.flatMap((seg): SourceMapSegment[] => {
      const source = seg.length === 1 ? undefined : own[seg[1]];
      if (seg.length === 1 || source === undefined) {
        // Where a dependency's code follows ours on the line: a segment with no source, so its frames are not named as ours.
        const end: SourceMapSegment[] = previous === '' ? [] : [[seg[0]]];
        previous = '';
        return end;
      }
      const at = `${source}:${seg[2]}`;
      if (at === previous) return [];
      previous = at;
      return [[seg[0], sourceIndex.get(source)!, seg[2], seg[3]]];
    });
  });
  fs.writeFileSync(mapFile, JSON.stringify({ version: 3, sources: kept, names: [], mappings: encode(lines) }));
}
