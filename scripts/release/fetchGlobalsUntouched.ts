import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { asBundled } from './dependencySources';

/**
 * Node defines its fetch globals (fetch, FormData, Headers, navigator…) as getters that load its fetch implementation
 * (undici, about 20 ms to compile) on first read. The Azure SDKs' pipeline reads `FormData` on every request to ask
 * whether the body is one, so the first storage call at start loaded undici, which nothing else needs before
 * /healthz. In the bundle that check first asks the body's own tag: a FormData body exists only once undici is
 * loaded, so the global is read only then, with the same answer.
 */
const FORM_DATA_CHECK = 'typeof FormData !== "undefined" && body instanceof FormData';
const BY_TAG = 'Object.prototype.toString.call(body) === "[object FormData]" && typeof FormData !== "undefined" && body instanceof FormData';

/** The pipeline's formData.js with its FormData check asking the tag first; throws if the file no longer holds the check. */
export function formDataCheckByTag(text: string, file: string): string {
  if (!text.includes(FORM_DATA_CHECK)) throw new Error(`the Azure pipeline's FormData check changed shape: ${file}`);
  return text.replace(FORM_DATA_CHECK, BY_TAG);
}

/** The esbuild plugin making that rewrite. */
export const fetchGlobalsUntouched: Plugin = {
  name: 'fetch-globals-untouched',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@typespec[\\/]ts-http-runtime[\\/]dist[\\/]commonjs[\\/]formData\.js$/ }, (args) => {
      const text = formDataCheckByTag(asBundled(fs.readFileSync(args.path, 'utf8')), args.path);
      return { contents: text, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
