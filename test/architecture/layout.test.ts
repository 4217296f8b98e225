import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';
import { filesUnder, importClosure } from './imports';

/** The domain: rules and service clients that know nothing of botbuilder or of cards. */
describe('the layout', () => {
  test('the production entry reaches no dev-only file (sandbox, playground)', () => {
    const closure = [...importClosure('src/index.ts')];
    expect(closure.length).toBeGreaterThan(30);
    expect(closure.filter((f) => !f.startsWith('src/'))).toEqual([]);
  });

  test('the production build compiles src/ only', () => {
    const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(['src']);
    expect(filesUnder('src').filter((f) => /sandbox|playground/i.test(f))).toEqual([]);
  });
});
