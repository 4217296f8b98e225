import fs from 'node:fs';
import path from 'node:path';
import type { Metafile, Plugin } from 'esbuild';

/** Where a bundle puts the modules it lends: a function from a module's file (relative to the root) to its exports. */
const registryOf = (lender: string) => `globalThis[Symbol.for('dibot.release.lentModules${lender === 'index' ? '' : `.${lender}`}')]`;
const LENT = 'release-lent-modules';

/**
 * The modules a part loaded on first use (telemetrySdk.js) shares with the bundle that loads it (`lender`: index.js)
 * instead of carrying its own copy: every file of a dependency that both need (the Azure HTTP pipeline,
 * @opentelemetry/api, tslib, debug…: 17 packages). Each would otherwise be parsed and run twice, and the API and
 * pipeline would exist twice, which Node's own loader never does. `borrow` is the part's plugin, `lend` the lender's
 * (built after the part, with what it borrowed). `lenderInputs`: the files of dependencies the lender holds.
 */
export function sharedModules(root: string, lenderInputs: Set<string>, lender = 'index') {
  const REGISTRY = registryOf(lender);
  const borrowed = new Set<string>();
  const borrow: Plugin = {
    name: `borrow-from-${lender}`,
    setup(b) {
      // A file the lender holds is taken, wherever the part requires it from, as the module the lender made of it.
      b.onLoad({ filter: /[\\/]node_modules[\\/]/ }, (args) => {
        const file = path.relative(root, args.path).split(path.sep).join('/');
        if (!lenderInputs.has(file)) return undefined;
        borrowed.add(file);
        return {
          contents: `const lent = ${REGISTRY};\nif (!lent) throw new Error('this bundle is loaded by ${lender}.js, whose modules it shares');\nmodule.exports = lent(${JSON.stringify(file)});`,
          loader: 'js',
        };
      });
    },
  };
  const lend = (entry: string): Plugin => ({
    name: 'lend-to-parts',
    setup(b) {
      // The registry is imported first, on the entry's first line, so the entry's line numbers (its source map) stay.
      const file = path.join(root, entry);
      b.onLoad({ filter: /\.ts$/ }, (args) => (args.path === file
        ? { contents: `import '${LENT}'; ${fs.readFileSync(file, 'utf8')}`, loader: 'ts', resolveDir: path.dirname(file) }
        : undefined));
      b.onResolve({ filter: new RegExp(`^${LENT}$`) }, () => ({ path: LENT, namespace: LENT }));
      b.onLoad({ filter: /.*/, namespace: LENT }, () => ({
        contents: `const lent = {\n${[...borrowed].sort().map((f) => `  ${JSON.stringify(f)}: () => require(${JSON.stringify(path.join(root, f))}),`).join('\n')}\n};\n${REGISTRY} = (file) => lent[file]();\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  });
  return { borrow, lend, borrowed };
}

/** The files `lent` that a lender holds only because it lends them (none should: a part borrows what the lender has). */
export function lentAlone(metafile: Metafile, lent: Set<string>): string[] {
  const importedBy = new Map<string, number>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.startsWith(`${LENT}:`)) continue;
    for (const i of input.imports) importedBy.set(i.path, (importedBy.get(i.path) ?? 0) + 1);
  }
  return [...lent].filter((file) => !importedBy.has(file));
}
