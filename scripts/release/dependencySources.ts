import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

/** A file's text without its trailing source map comment. */
export const withoutMapComment = (text: string): string => text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');

/** What reads as a regular expression literal on one line (esbuild escapes characters outside ASCII in strings, not there). */
const REGEX_LITERAL = /\/(?:[^/\n\\[]|\\.|\[(?:[^\]\n\\]|\\.)*\])+\/[dgimsuyv]*/g;

/**
 * A dependency's file as the bundle takes it:
 * - without its source map comment. esbuild would otherwise follow it into the package's own map, whose sources point
 *   at TypeScript files the package does not ship (often `../../src/…`, which resolves into our own src/ folder and
 *   would put their line numbers on our files);
 * - with any character outside ASCII in a regular expression literal written as `\uXXXX` (fast-redact's `/〇/`, which
 *   pino loads): one such character makes V8 hold the whole bundle as a two-byte string, twice the memory, and
 *   slower to read and to scan for its source map. The bundles are checked to be ASCII (see `bundle`).
 */
export function asBundled(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return withoutMapComment(text);
  // Between two slashes that are not a literal (a division), an escape in a string means the same.
  const escaped = text.replace(REGEX_LITERAL, (literal) => literal.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return withoutMapComment(escaped);
}

/** The esbuild plugin that takes every dependency's JavaScript file as `asBundled` makes it. */
export const dependencySources: Plugin = {
  name: 'dependency-sources',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const bundled = asBundled(text);
      return bundled === text ? undefined : { contents: bundled, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
