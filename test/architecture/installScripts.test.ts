import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

describe('install scripts (issue 12, item 24)', () => {
  test('allowScripts decides for exactly the packages with install scripts, and allows the SQLite driver build', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = [...new Set(Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length)))].sort();
    const { allowScripts } = read('package.json') as { allowScripts: Record<string, boolean> };
    expect(Object.keys(allowScripts).sort()).toEqual(withScripts);
    expect(allowScripts['better-sqlite3']).toBe(true);
  });
});
