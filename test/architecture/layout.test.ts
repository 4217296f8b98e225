import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';
import { filesUnder, importClosure, importsOf, resolveLocal } from './imports';

/** The domain: rules and service clients that know nothing of botbuilder or of cards. */
const DOMAIN = ['src/setupRules', 'src/projects', 'src/scheduleApprovals', 'src/recurrence', 'src/notifications', 'src/integration'];

const localImports = (file: string) => importsOf(path.join(ROOT, file)).map((spec) => ({ spec, target: resolveLocal(path.join(ROOT, file), spec) }));

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

  test('no domain folder imports botbuilder, the card renderers or the bot edge', () => {
    const offending = DOMAIN.flatMap(filesUnder).flatMap((file) =>
      localImports(file)
        .filter(({ spec, target }) => /^botbuilder|^botframework/.test(spec)
          || (target && /src\/(render|teams|features|http)\//.test(path.relative(ROOT, target))))
        .map(({ spec }) => `${file} -> ${spec}`));
    expect(offending).toEqual([]);
  });

  test('src/words, the catalogue of what the bot says, is a leaf that every layer may use: it imports only src/words', () => {
    const offending = filesUnder('src/words').flatMap((file) =>
      localImports(file)
        .filter(({ spec, target }) => /^botbuilder|^botframework/.test(spec) || (target && !/src\/words\//.test(path.relative(ROOT, target))))
        .map(({ spec }) => `${file} -> ${spec}`));
    expect(offending).toEqual([]);
  });

  describe('one home per concept (issue 29, item 3)', () => {
    const filesMatching = (pattern: RegExp) => filesUnder('src').filter((file) => !file.startsWith('src/words/')).filter((file) => pattern.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));

    test('only person.ts turns an activity into the acting person (the HTTP edge only checks that a sender is named)', () => {
      expect(filesMatching(/\b(?:activity|a)\.from\b|\bfrom\??\.(?:id|aadObjectId|name)\b|\{[^}]*\bfrom\b[^}]*\}\s*=\s*(?:context\.)?activity/).sort()).toEqual(['src/http/requestGuards.ts', 'src/person.ts']);
    });

    test('only features/runs/projectWatches.ts starts watching a project, and only features/dataflows/dataflowActions.ts a dataflow', () => {
      expect(filesMatching(/\.watch\(/).sort()).toEqual(['src/features/dataflows/dataflowActions.ts', 'src/features/runs/projectWatches.ts']);
      expect(filesMatching(/\.watch\(\{\s*dataflowId/)).toEqual(['src/features/dataflows/dataflowActions.ts']);
    });

    test('only setupRules/naming.ts says what a name may be', () => {
      expect(filesMatching(/function \w*[nN]ameProblem\b|[A-Z_]*NAME_(?:PATTERN|RULE|MAX)\s*=/)).toEqual(['src/setupRules/naming.ts']);
    });

    test('only integration/errorCatalogue.ts decides what a service failure is called (its words are in src/words)', () => {
      expect(filesMatching(/'error\.(?:title|next|why)\./)).toEqual(['src/integration/errorCatalogue.ts']);
    });
  });

  describe('folders named for what they hold (issue 29, item 5)', () => {
    /** Each moved concept: where it was, where it lives now, and what only its home defines. */
    const MOVED: Array<[was: string, now: string, defines: RegExp]> = [
      ['src/notifications/runStartGate.ts', 'src/features/runs/runStartGate.ts', /\bclass RunStartGate\b/],
      ['src/scheduleApprovals/recurrence.ts', 'src/recurrence/recurrence.ts', /\bfunction (?:parseRecurrence|recurrenceWords)\b/],
      ['src/scheduleApprovals/nextRunTimes.ts', 'src/recurrence/nextRunTimes.ts', /\bfunction (?:nextRunTimes|addRecurrence)\b/],
      ['src/setupRules/projectOverview.ts', 'src/projects/projectOverview.ts', /\bfunction projectOverview\b/],
      ['src/storage/flowLocks.ts', 'src/locks/flowLocks.ts', /\binterface FlowLocks\b/],
      ['src/storage/guardPersonTurns.ts', 'src/locks/guardPersonTurns.ts', /\bfunction guardPersonTurns\b/],
      ['src/text/sanitize.ts', 'src/words/sanitize.ts', /\bfunction (?:echo|shownAsTyped)\b/],
      ['src/teams/backgroundWork.ts', 'src/features/backgroundWork.ts', /\bclass BackgroundWork\b/],
    ];
    const defining = (pattern: RegExp) => filesUnder('src').filter((file) => pattern.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));

    test('no src/text/ folder (one file is no folder), nor its test folder', () => {
      expect(fs.existsSync(path.join(ROOT, 'src/text'))).toBe(false);
      expect(fs.existsSync(path.join(ROOT, 'test/text'))).toBe(false);
    });

    test.each(MOVED)('%s is gone: it lives only in %s', (was, now, defines) => {
      expect(fs.existsSync(path.join(ROOT, was))).toBe(false);
      expect(defining(defines)).toEqual([now]);
    });
  });

  test('the sandbox and the client share no module: they meet only on the wire', () => {
    const offending = filesUnder('dev/sandbox').flatMap((file) =>
      localImports(file)
        .filter(({ target }) => target && path.relative(ROOT, target).startsWith('src/integration/'))
        .map(({ spec }) => `${file} -> ${spec}`));
    expect(offending).toEqual([]);
  });

  test('src/integration keeps no module-level mutable state: caches belong to an object with a lifetime', () => {
    // A `let`, or an empty Map/Set filled later: a cache whose lifetime is the process'. Constant lookup tables are fine.
    const moduleState = /^(?:export\s+)?(?:let\s|(?:const|var)\s+\w+\s*(?::[^=]+)?=\s*new\s+(?:Map|Set|WeakMap)\b[^(]*\(\s*\))/;
    const offending = filesUnder('src/integration').flatMap((file) =>
      fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').filter((line) => moduleState.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(offending).toEqual([]);
  });

  test('src/teams supplies only the person\'s token: it builds no Data Integration client', () => {
    const builds = /\b(createDataIntegration|DataIntegrationClients|HttpClient)\b/;
    expect(filesUnder('src/teams').filter((file) => builds.test(fs.readFileSync(path.join(ROOT, file), 'utf8')))).toEqual([]);
  });

  test('one composition root: only app.ts reaches into features/, only it and processLife.ts into http/', () => {
    const importers = (folder: string) => filesUnder('src').filter((file) => !file.startsWith(`${folder}/`)).filter((file) =>
      localImports(file).some(({ target }) => target && path.relative(ROOT, target).startsWith(`${folder}/`)));
    expect(importers('src/features')).toEqual(['src/app.ts']);
    expect(importers('src/http').sort()).toEqual(['src/app.ts', 'src/processLife.ts']);
  });

  test('no cycle between the folders of src/', () => {
    const folderOf = (file: string) => path.relative(path.join(ROOT, 'src'), file).split(path.sep).slice(0, -1)[0] ?? '.';
    const edges = new Map<string, Set<string>>();
    for (const file of filesUnder('src')) {
      const from = folderOf(path.join(ROOT, file));
      for (const { target } of localImports(file)) {
        if (!target) continue;
        const to = folderOf(target);
        if (to !== from && from !== '.' && to !== '.') (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    const cycles = [...edges.keys()].filter((folder) => reaches(folder, folder));
    expect(cycles).toEqual([]);
  });

  test('no cycle between the files of src/, type-only imports included', () => {
    const importsFrom = new Map(filesUnder('src').map((file) => [file, localImports(file).flatMap(({ target }) => (target ? [path.relative(ROOT, target)] : []))]));
    // Depth-first: a file met again while it is still on the path closes a cycle.
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, onPath: string[]): void => {
      if (done.has(file)) return;
      const at = onPath.indexOf(file);
      if (at >= 0) { cycles.push([...onPath.slice(at), file].join(' -> ')); return; }
      for (const next of importsFrom.get(file) ?? []) visit(next, [...onPath, file]);
      done.add(file);
    };
    for (const file of importsFrom.keys()) visit(file, []);
    expect(importsFrom.size).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });

  test('telemetry: only src/telemetry/telemetrySdk.ts sets up the SDK and exporters; the rest records through @opentelemetry/api', () => {
    const sdk = /^@opentelemetry\/(?!api$)|^@azure\/monitor-opentelemetry/;
    const offending = [...filesUnder('src'), ...filesUnder('dev')].filter((f) => f !== 'src/telemetry/telemetrySdk.ts')
      .flatMap((file) => importsOf(path.join(ROOT, file)).filter((spec) => sdk.test(spec)).map((spec) => `${file} -> ${spec}`));
    expect(offending).toEqual([]);
    // Domain folders may record (the API module), never start or export.
    const domainToSdkModule = DOMAIN.flatMap(filesUnder).flatMap((file) => localImports(file)
      .filter(({ target }) => target && /src\/telemetry\/(startTelemetry|telemetrySdk|register)\.ts$/.test(path.relative(ROOT, target)))
      .map(({ spec }) => `${file} -> ${spec}`));
    expect(domainToSdkModule).toEqual([]);
    // startTelemetry requires the SDK module only when an exporter is configured: no file imports it, so a bot without telemetry never loads it.
    const importsSdkModule = [...filesUnder('src'), ...filesUnder('dev')].flatMap((file) => localImports(file)
      .filter(({ target }) => target && path.relative(ROOT, target) === path.join('src', 'telemetry', 'telemetrySdk.ts')).map(({ spec }) => `${file} -> ${spec}`));
    expect(importsSdkModule).toEqual([]);
  });

  describe('the docs (issue 29, item 6)', () => {
    test('docs/architecture.md names every folder of src/ (as its path under src/, e.g. `words/de/`)', () => {
      const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
      const folders = [...new Set(filesUnder('src').map((file) => path.posix.dirname(path.posix.relative('src', file))))].filter((f) => f !== '.');
      expect(folders.length).toBeGreaterThan(20);
      expect(folders.filter((folder) => !doc.includes(`${folder}/`)).sort()).toEqual([]);
    });

    test('README.md stays short: at most 200 lines', () => {
      expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(200);
    });
  });

  test('both entries start telemetry before anything else', () => {
    expect(importsOf(path.join(ROOT, 'src/index.ts'))[0]).toBe('./telemetry/register');
    expect(importsOf(path.join(ROOT, 'dev/local.ts'))[0]).toBe('../src/telemetry/register');
  });
});
