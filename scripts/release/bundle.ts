import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { asBundled, dependencySources, withoutMapComment } from './dependencySources';
import { fetchGlobalsUntouched } from './fetchGlobalsUntouched';
import { lazyRequires } from './lazyRequires';
import { productionPackageDirs } from './productionPackages';
import { lentAlone, sharedModules } from './sharedModules';
import { EXPORTERS_ENTRY, telemetryExporters } from './telemetryExporters';

/**
 * The production entries, one bundle each, and the parts loaded on first use, each a bundle of its own so that the
 * start neither reads nor parses them: the telemetry SDKs (src/telemetry/startTelemetry.ts requires them only when an
 * exporter is configured) and the card templating engine with its expression language (src/render/templateEngine.ts
 * requires it with the first card; about 1 MB of the bot's code). The telemetry SDKs' own optional part,
 * telemetryExporters.js, is made from what they ask for (see telemetryExporters.ts).
 */
export const BUNDLES = { index: 'src/index.ts', telemetrySdk: 'src/telemetry/telemetrySdk.ts', cardTemplating: 'adaptivecards-templating' } as const;

/** Where each part loaded on first use is required, and the bundle that answers it there. */
const TEMPLATE_ENGINE = path.join('src', 'render', 'templateEngine.ts');
/**
 * src/render/templateEngine.ts warms the engine up one dependency per turn of the event loop (the run watcher's
 * cards); in the release those dependencies are inside the engine's bundle, so each of its steps loads that bundle
 * (the first one loads it all, the others find it loaded).
 */
const ENGINE_STEPS = ['lodash', 'antlr4ts', 'uuid', 'fast-xml-parser', '@microsoft/recognizers-text-data-types-timex-expression', 'adaptive-expressions'];
const LOADED_ON_FIRST_USE: Array<{ request: string; importer: string; bundle: string }> = [
  { request: './telemetrySdk', importer: path.join('src', 'telemetry', 'startTelemetry.ts'), bundle: './telemetrySdk.js' },
  ...['adaptivecards-templating', ...ENGINE_STEPS].map((request) => ({ request, importer: TEMPLATE_ENGINE, bundle: './cardTemplating.js' })),
];

/**
 * Packages left out of the bundle, each for a reason:
 * - better-sqlite3: a native addon (a compiled .node file no bundler can inline); shipped beside the bundle
 *   (see NATIVE_PACKAGES) and loaded only when STATE_STORE=sqlite.
 * - dtrace-provider: restify's optional DTrace probes, a native addon the install never builds (allowScripts);
 *   restify catches its absence and uses no-op probes, as it does today.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider'];

/**
 * Packages whose ES module build the bundle takes, so that only the functions the bot calls are kept. Both are
 * imported by our code alone: date-fns (its CommonJS index loads all 250 of its functions) and zod 4 (its CommonJS
 * index builds every locale's messages at start; botbuilder's packages each have their own zod 3). Every other package is
 * resolved as Node resolves the compiled bot (`require`): many publish both builds, and a dependency that
 * `require`s the same package would otherwise bundle it twice.
 */
const ES_MODULE_BUILDS = new Set(['date-fns', 'zod']);

/**
 * zod 4's `z.locales` namespace names every language's error messages (64 modules, 300 KB), and `import { z }` keeps
 * the whole namespace, so the start parsed and ran them all. The bot's sentences are its own (src/words) and zod
 * speaks English, its default; the bundle keeps that one.
 */
const englishZodOnly: Plugin = {
  name: 'english-zod-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => {
      if (!fs.readFileSync(args.path, 'utf8').includes('export { default as en } from "./en.js";')) return { errors: [{ text: `zod's locales changed shape: ${args.path}` }] };
      return { contents: 'export { default as en } from "./en.js";\n', loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** The restify plugins the bot uses (src/http/server.ts); the release bundles no other. */
export const RESTIFY_PLUGINS = ['bodyParser'];

/**
 * restify's plugin table requires all its 30 plugins when restify loads, and with them send, mime, http-signature,
 * sshpk and more (about 600 KB the start would read and parse). In the bundle the table keeps the plugins of
 * RESTIFY_PLUGINS; asking for any other throws, naming the list to add it to (the release tests start the bot).
 */
const usedRestifyPlugins: Plugin = {
  name: 'used-restify-plugins',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]restify[\\/]lib[\\/]plugins[\\/]index\.js$/ }, (args) => {
      const text = asBundled(fs.readFileSync(args.path, 'utf8'));
      let kept = 0;
      const used = text.replace(/(\w+): require\(('[^']+')\)/g, (_, name: string, request: string) => {
        if (RESTIFY_PLUGINS.includes(name)) { kept++; return `${name}: require(${request})`; }
        return `get ${name}() { throw new Error('restify plugin ${name} is not in the release: add it to RESTIFY_PLUGINS in scripts/release/bundle.ts'); }`;
      });
      if (kept !== RESTIFY_PLUGINS.length || (used.match(/get \w+\(\)/g) ?? []).length < 20) throw new Error(`restify's plugin table changed shape: ${args.path}`);
      return { contents: used, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * pino asks Node for its caller's file each time a logger is made (to find a transport's module by a relative path;
 * the bot has no transport) through util.getCallSites(), which, with source maps enabled, reads and parses the
 * bundle's source map at start. In the bundle it asks without source maps (the bundle's file name instead of the
 * .ts one): the map is then read when a stack is first formatted, not at every start.
 */
const pinoCallersWithoutSourceMaps: Plugin = {
  name: 'pino-callers-without-source-maps',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]pino[\\/]lib[\\/]caller\.js$/ }, (args) => {
      const text = asBundled(fs.readFileSync(args.path, 'utf8'));
      const call = 'getCallSites().slice(2)';
      // pino 8 (restify's own) reads the stack through Error.prepareStackTrace, which source maps do not touch.
      if (!text.includes(call)) return text.includes('Error.prepareStackTrace = noOpPrepareStackTrace') ? undefined : { errors: [{ text: `pino's caller lookup changed shape: ${args.path}` }] };
      return { contents: text.replace(call, 'getCallSites({ sourceMap: false }).slice(2)'), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * A dependency's large JSON data (tr46's Unicode mapping table, mime-db's types: half a megabyte) as a string given
 * to JSON.parse rather than as an object literal: V8 skims a string at parse time and JSON.parse reads it faster
 * than the compiler builds the same literal (V8's advice for data above 10 KB). Same object, same module.
 */
const largeJsonAsString: Plugin = {
  name: 'large-json-as-string',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.json$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (text.length < 10 * 1024) return undefined;
      return { contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`, loader: 'js' };
    });
  },
};

/**
 * One copy of each package version: npm nests a copy under every package whose range the root's version does not
 * satisfy (botbuilder's six packages each have their own zod 3.25.76, beside our zod 4), and the bundle would parse
 * and initialise each. A file of a nested copy resolves to the same file of the first copy (by path) of that
 * name and version among the production packages. Packages of the same name but another version stay apart.
 */
function dedupeCopies(root: string): Plugin {
  const copies = new Map<string, string>();
  const first = (dir: string): string => {
    const { name, version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
    const key = `${name}@${version}`;
    const known = copies.get(key);
    if (known === undefined || dir.length < known.length || (dir.length === known.length && dir < known)) copies.set(key, dir);
    return copies.get(key)!;
  };
  return {
    name: 'dedupe-copies',
    setup(b) {
      // Every production package's copy is registered before bundling starts, so which one is first does not depend
      // on the order esbuild resolves in (and a dev-only package's folder never holds the copy the bundle takes).
      b.onStart(() => { copies.clear(); for (const dir of productionPackageDirs(root)) first(dir); });
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'deduped' || !args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'deduped' });
        const at = resolved.path.lastIndexOf(`${path.sep}node_modules${path.sep}`);
        // Unresolved (an optional package a dependency tries in a try block): esbuild's own handling, a warning.
        if (resolved.errors.length > 0) return undefined;
        if (resolved.external || at < 0 || at === resolved.path.indexOf(`${path.sep}node_modules${path.sep}`)) return resolved;
        const rest = resolved.path.slice(at + '/node_modules/'.length).split(path.sep);
        const dir = path.join(resolved.path.slice(0, at), 'node_modules', ...rest.slice(0, rest[0].startsWith('@') ? 2 : 1));
        const canonical = first(dir);
        return canonical === dir ? resolved : { ...resolved, path: path.join(canonical, path.relative(dir, resolved.path)) };
      });
    },
  };
}

/** Resolves our `import` statements as the `require` calls tsc makes of them, and points each part loaded on first use at its bundle. */
const resolveAsNode: Plugin = {
  name: 'resolve-as-node',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const part = LOADED_ON_FIRST_USE.find((p) => p.request === args.path && args.importer.endsWith(p.importer));
      if (part) return { path: part.bundle, external: true };
      // A step added to the engine's warm-up and not listed here would put its package back into index.js.
      if (args.importer.endsWith(TEMPLATE_ENGINE) && /^[^./]/.test(args.path) && !isBuiltin(args.path)) {
        return { errors: [{ text: `${args.path}: a step of the template engine's warm-up not in ENGINE_STEPS` }] };
      }
      return undefined;
    });
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (args.kind !== 'import-statement' || args.pluginData === 'as-require' || args.importer.includes(`${path.sep}node_modules${path.sep}`) || ES_MODULE_BUILDS.has(pkg)) return undefined;
      const resolved = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: 'as-require' });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : resolved;
    });
  },
};

/**
 * Bundles the production entries of `root` into `folder` (index.js, telemetrySdk.js, telemetryExporters.js,
 * cardTemplating.js and their source maps). The code is minified in whitespace and syntax only: names stay as
 * written, so that nothing that reads a class or function name changes, and stacks stay readable (minified names
 * also made the start slower: measured 2026-12-07). Five builds: index.js and the templating engine; the telemetry
 * SDKs, borrowing from index.js the modules both need (see sharedModules); the exporters' part, borrowing from both;
 * the SDKs again, lending to it; index.js again, lending. Returns the bundles' paths.
 */
export async function bundle(root: string, folder: string): Promise<string[]> {
  const options = (entryPoints: Record<string, string>, first: Plugin[] = []): BuildOptions & { metafile: true } => ({
    absWorkingDir: root,
    entryPoints,
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
    // @opentelemetry/sdk-node: its index also loads `startNodeSDK` (declarative configuration files, with a YAML parser
    // and a JSON schema: 600 KB) beside NodeSDK, the one class the distro and src/telemetry/telemetrySdk.ts use.
    alias: { punycode: 'punycode/', 'jsonc-parser': 'jsonc-parser/lib/esm/main.js', '@opentelemetry/sdk-node': '@opentelemetry/sdk-node/build/src/sdk.js' },
    plugins: [...first, resolveAsNode, dedupeCopies(root), usedRestifyPlugins, englishZodOnly, lazyRequires, fetchGlobalsUntouched, pinoCallersWithoutSourceMaps, largeJsonAsString, dependencySources],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const { telemetrySdk, ...others } = BUNDLES;
  const first = await build(options(others));
  const indexOutput = Object.values(first.metafile.outputs).find((o) => o.entryPoint === BUNDLES.index)!;
  // CommonJS modules only: index.js keeps of an ES module only the exports it uses itself (tslib's ES build, the API's).
  const lendable = Object.keys(indexOutput.inputs).filter((f) => first.metafile.inputs[f]?.format !== 'esm');
  const shared = sharedModules(root, new Set(lendable));
  const exporters = telemetryExporters(root);
  const sdkFirst = await build(options({ telemetrySdk }, [exporters.leaveOut, shared.borrow]));
  const sdkOutput = Object.values(sdkFirst.metafile.outputs).find((o) => o.entryPoint === BUNDLES.telemetrySdk)!;
  // The exporters' part borrows from index.js what it holds, then from telemetrySdk.js what that holds of its own.
  const sdkShared = sharedModules(root, new Set(Object.keys(sdkOutput.inputs).filter((f) => sdkFirst.metafile.inputs[f]?.format === 'cjs')), 'telemetrySdk');
  const part = await build(options({ telemetryExporters: EXPORTERS_ENTRY }, [exporters.entry, shared.borrow, sdkShared.borrow]));
  const sdk = await build(options({ telemetrySdk }, [exporters.leaveOut, shared.borrow, sdkShared.lend(BUNDLES.telemetrySdk)]));
  const main = await build(options({ index: BUNDLES.index }, [shared.lend(BUNDLES.index)]));
  for (const [lender, metafile, lent] of [['index.js', main.metafile, shared.borrowed], ['telemetrySdk.js', sdk.metafile, sdkShared.borrowed]] as const) {
    const lentOnly = lentAlone(metafile, lent);
    if (lentOnly.length > 0) throw new Error(`${lender} holds ${lentOnly.join(', ')} only to lend them`);
  }

  const metafiles = [first.metafile, part.metafile, sdk.metafile, main.metafile];
  const bundles = [...new Set(metafiles.flatMap((m) => Object.keys(m.outputs)).filter((f) => f.endsWith('.js')).map((f) => path.resolve(root, f)))];
  for (const file of bundles) {
    const at = fs.readFileSync(file, 'latin1').search(/[^\x00-\x7f]/);
    if (at >= 0) throw new Error(`${file} holds a character outside ASCII at ${at} (see asBundled in scripts/release/dependencySources.ts)`);
  }
  // Our own sources: neither a dependency's file, nor esbuild's runtime (`<runtime>`), nor a module made by a plugin (`namespace:path`).
  const ownInputs = new Set(metafiles.flatMap((m) => Object.keys(m.inputs)).filter((f) => !f.startsWith('node_modules/') && !/^(<|[\w-]+:)/.test(f)));
  for (const file of bundles) {
    if (keepOwnSources(`${file}.map`, root, ownInputs) > 0) continue;
    // A bundle of a dependency's code alone (the templating engine): a map with no source would only cost its reading.
    fs.rmSync(`${file}.map`);
    fs.writeFileSync(file, withoutMapComment(fs.readFileSync(file, 'utf8')));
  }
  return bundles;
}

/**
 * Keeps in a source map only the mappings into the bot's own sources, named relative to the package (`src/app.ts`):
 * a stack then names the .ts file and line of our code, and the map names no path outside the package. Frames in
 * a dependency keep the bundle's line and column; mapping them too would make the map ten times larger, and
 * Node reads the whole map at start when source maps are enabled. Returns how many of our sources the map names.
 */
export function keepOwnSources(mapFile: string, root: string, ownInputs: Set<string>): number {
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
  return kept.length;
}
