import { readFileSync, existsSync } from 'fs';
import path from 'path';

/** The version in the nearest package.json above this file (works from scripts/ and from dist/scripts/). */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '');
    if (path.dirname(dir) === dir) return '';
  }
}
