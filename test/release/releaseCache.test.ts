import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releaseInputsDigest } from '../../scripts/release/releaseCache';

/** A project with one source file, one card and an installed-packages record. */
function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'di-release-inputs-'));
  for (const [file, text] of Object.entries({
    'src/index.ts': 'export {};\n', 'cards/help.json': '{}\n', 'package.json': '{"name":"bot"}\n',
    'node_modules/.package-lock.json': '{"packages":{}}\n',
  })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('npm run build:release reuses a release only when nothing that goes into it changed', () => {
  const root = project();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test.each([
    ['a source file', 'src/index.ts'], ['a new source file', 'src/feature/new.ts'], ['a card', 'cards/help.json'],
    ['package.json', 'package.json'], ['the installed packages', 'node_modules/.package-lock.json'], ['the builder itself', 'scripts/release/buildRelease.ts'],
    ['the routes file the release ships', 'tenant-check/integrator-routes.json'],
  ])('a change to %s makes the next build compile again', (_what, file) => {
    const before = releaseInputsDigest(root);
    expect(releaseInputsDigest(root)).toBe(before);
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.appendFileSync(path.join(root, file), '// changed\n');
    expect(releaseInputsDigest(root)).not.toBe(before);
  });

  test('output folders, tests and docs are not inputs', () => {
    const before = releaseInputsDigest(root);
    for (const file of ['dist/release/bot.zip', 'test/a.test.ts', 'README.md']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), 'x');
    }
    expect(releaseInputsDigest(root)).toBe(before);
  });

  test('adding the routes file, or removing it, makes the next build compile again: no release keeps routes the project no longer holds', () => {
    const file = path.join(root, 'tenant-check/integrator-routes.json');
    fs.rmSync(file, { force: true });
    const without = releaseInputsDigest(root);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ "routes": {} }\n');
    const withFile = releaseInputsDigest(root);
    expect(withFile).not.toBe(without);
    fs.rmSync(file);
    expect(releaseInputsDigest(root)).toBe(without);
  });

  test("the tenant check's other output (its recordings) is not an input", () => {
    const before = releaseInputsDigest(root);
    fs.mkdirSync(path.join(root, 'tenant-check/recordings'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tenant-check/recordings/runProject-200.json'), '{}');
    expect(releaseInputsDigest(root)).toBe(before);
  });
});
