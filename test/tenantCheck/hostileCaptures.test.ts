import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../tools/tenantCheck/report';
import { ensureBuilt } from '../helpers/build';
import { harOf, hostileEntries, leaksIn, secretEntries } from './hostileCapture';
import { fixture, runBuiltCheck } from './runCheck';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Raw control characters a terminal would act on (our layout's newlines aside). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const matching = (JSON.parse(fs.readFileSync(fixture('matching.har'), 'utf8')) as { log: { entries: [] } }).log.entries;

/**
 * A capture checked as an admin runs it, as a table and with --json, each with --out three folders
 * deep (so that a name walking up `../../../` would land inside the folder the test looks at).
 */
function checked(entries: Parameters<typeof harOf>[0], prefix: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(root, 'capture.har');
  fs.writeFileSync(file, harOf([...matching, ...entries]));
  const table = runBuiltCheck('--har', file, '--out', path.join(root, 'a', 'b', 'out-table'));
  const json = runBuiltCheck('--har', file, '--json', '--out', path.join(root, 'a', 'b', 'out-json'));
  const files = filesUnder(root).filter((f) => f !== file).map((f): [string, string] => [path.relative(root, f), fs.readFileSync(f, 'utf8')]);
  fs.rmSync(root, { recursive: true, force: true });
  return { table, json, files };
}

describe('npm run tenant-check -- --har on a capture holding secrets in every form', () => {
  let run: ReturnType<typeof checked>;
  beforeAll(() => {
    ensureBuilt();
    run = checked(secretEntries(), 'tenant-check-secrets-');
  }, 120_000);

  test('no planted secret, in any of its forms, reaches stdout, stderr or a file --out writes', () => {
    const { table, json, files } = run;
    expect([table.code, json.code]).toEqual([1, 1]);
    expect(files.length).toBeGreaterThanOrEqual(20);
    const outputs: [string, string][] = [
      ['stdout of the table', table.stdout], ['stderr of the table', table.stderr], ['stdout of --json', json.stdout], ['stderr of --json', json.stderr], ...files,
    ];
    expect(outputs.map(([where, text]) => ({ where, leaks: leaksIn(text) }))).toEqual(outputs.map(([where]) => ({ where, leaks: [] })));
  });

  test('a service error message shows, with its secrets replaced', () => {
    expect(run.table.stdout).toMatch(/HTTP 400: token \[jwt\] at https:\/\/a\.blob\.core\.windows\.net\/x\?sig=\[removed\] with AccountKey=\[removed\]; ask person@example\.invalid/);
  });
});

describe('npm run tenant-check -- --har on a hostile capture', () => {
  let run: ReturnType<typeof checked>;
  let table: ReturnType<typeof runBuiltCheck>;
  let json: ReturnType<typeof runBuiltCheck>;
  beforeAll(() => {
    ensureBuilt();
    run = checked(hostileEntries(), 'tenant-check-hostile-');
    ({ table, json } = run);
  }, 120_000);

  test('the run finishes and reports (exit 1: candidates), whatever the capture holds', () => {
    expect([table.code, json.code]).toEqual([1, 1]);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^NEEDS ATTENTION: .* routes matched/m);
  });

  test('every file lands inside --out, named from letters, digits and dashes; the walking method is refused with a line', () => {
    const written = run.files.map(([f]) => f);
    expect(written.filter((f) => !/^a\/b\/out-(table|json)\/(integrator-routes\.json|recordings\/[A-Za-z0-9-]+\.json)$/.test(f))).toEqual([]);
    expect(written.filter((f) => /escaped|Escape/i.test(f))).toEqual([]);
    expect(table.stdout).toMatch(/^ {2}entry \d+: its method is not an HTTP method; skipped$/m);
  });

  test('control characters are shown escaped, never sent raw to the terminal; a forged line stays on its line', () => {
    expect(table.stdout).not.toMatch(RAW_CONTROL);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(table.stdout).toContain('HTTP 500: bell\\u0007 and \\u001b[31mred\\u001b[0m and\\u000d\\u000aFORGED: a line of its own');
    expect(table.stdout).not.toMatch(/^FORGED/m);
  });

  test('bodies nested 10,000 levels deep are refused one line each; the rest of the capture is checked', () => {
    expect(table.stdout).toMatch(/^ {2}entry \d+ \(GET\): its response body nests deeper than 100 levels; skipped$/m);
    expect(table.stdout).toMatch(/^ {2}entry \d+ \(POST\): its request body nests deeper than 100 levels; skipped$/m);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.skipped).toHaveLength(4);
    expect(report.routes.find((r) => r.name === 'createProject')).toMatchObject({ status: 'matched' });
  });
});

describe('--out naming something that is not a folder', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('exits 2 with one line saying so, before reading the capture, and writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-outfile-'));
    const file = path.join(dir, 'report.txt');
    fs.writeFileSync(file, 'keep me');
    try {
      const run = runBuiltCheck('--har', fixture('matching.har'), '--out', file);
      expect({ code: run.code, stdout: run.stdout, lines: run.stderr.trim().split('\n').length }).toEqual({ code: 2, stdout: '', lines: 1 });
      expect(run.stderr).toBe(`tenant-check: --out ${file} is a file: name a folder (it is created when missing)\n`);
      expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
