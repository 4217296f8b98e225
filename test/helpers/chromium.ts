import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './build';

/** The Chromium the browser tests drive, with the environment it needs. */
export interface ChromiumBinary {
  executablePath: string;
  env: Record<string, string>;
  /** Where it came from, for the failure message of a browser test. */
  source: string;
}

/** Browsers a system install puts on PATH (Debian's `chromium`, Google's packages). */
const SYSTEM = ['/usr/bin/chromium', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
const PACKAGE = '@sparticuz/chromium';
const ARCHIVES = ['chromium.br', 'fonts.tar.br', 'swiftshader.tar.br', 'al2023.tar.br'];

let found: ChromiumBinary | undefined;

/**
 * CHROMIUM_PATH when set; else the system's Chromium when one is installed (unless CHROMIUM_FROM_NPM=1);
 * else the headless Chromium that `npm install` brought (@sparticuz/chromium), unpacked once per version.
 */
export function chromiumBinary(): ChromiumBinary {
  if (found) return found;
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return (found = { executablePath: fromEnv, env: {}, source: 'CHROMIUM_PATH' });
  const system = process.env.CHROMIUM_FROM_NPM === '1' ? undefined : SYSTEM.find((p) => fs.existsSync(p));
  if (system) return (found = { executablePath: system, env: {}, source: 'system' });
  const dir = unpacked();
  return (found = {
    executablePath: path.join(dir, 'chromium'),
    // Its own NSS, NSPR and expat (built for Amazon Linux, glibc 2.34): the browser then needs only libc from the system.
    env: { LD_LIBRARY_PATH: path.join(dir, 'al2023', 'lib'), FONTCONFIG_PATH: path.join(dir, 'fonts') },
    source: `${PACKAGE} (${dir})`,
  });
}

/** The package's archives unpacked into node_modules/.cache; several Jest workers may race, so each unpacks aside and renames. */
function unpacked(): string {
  const pkg = path.join(ROOT, 'node_modules', PACKAGE);
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  const dir = path.join(ROOT, 'node_modules', '.cache', `sparticuz-chromium-${version}`);
  if (fs.existsSync(dir)) return dir;
  const staging = `${dir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  // The package is an ES module and unpacks into os.tmpdir(): a child process with TMPDIR pointing aside does it.
  const script = `import { inflate } from '${PACKAGE}';\n`
    + `await Promise.all(${JSON.stringify(ARCHIVES.map((a) => path.join(pkg, 'bin', a)))}.map((f) => inflate(f)));`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, TMPDIR: staging }, stdio: 'inherit' });
  // The package's fonts.conf names /tmp/fonts; this one names where the fonts are, and the system's fonts when it has any.
  fs.writeFileSync(path.join(staging, 'fonts', 'fonts.conf'), [
    '<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', '<fontconfig>',
    `  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>`, '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`, '</fontconfig>', '',
  ].join('\n'));
  try {
    fs.renameSync(staging, dir);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(dir)) throw e;
  }
  return dir;
}
