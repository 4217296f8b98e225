import path from 'node:path';
import ts from 'typescript';
import { filesUnder } from '../architecture/imports';
import { ROOT } from '../helpers/build';
import { sentencesIn } from './sentences';

/**
 * Where a sentence may be written outside src/words, and why: no person in Teams ever reads these.
 * Everything else a person reads comes from the catalogue; logs, thrown errors, metric and span names are
 * recognised by the call they stand in (see sentences.ts).
 */
const OPERATOR_FILES: Array<[RegExp, string]> = [
  [/^src\/config\.ts$/, 'the start-up error names every bad key, for the operator who set the process up'],
  [/^src\/storage\//, 'SQL statements, OData filters and the readiness probe\'s JSON'],
  [/^src\/teams\/signInFailure\.ts$/, 'what the operator should check for each code of Teams\' signin/failure: a field of its warning in the log, never shown in Teams'],
  [/^src\/integration\/routeOverrides\.ts$/, 'INTEGRATOR_ROUTES_FILE\'s refusals stop the process at start, like config.ts (and name the entry for the tenant check)'],
];

describe('the catalogue is the one home of what the bot says (issue 29, items 1 and 3)', () => {
  test('no file outside src/words writes a sentence a person reads', () => {
    const files = filesUnder('src').filter((f) => !f.startsWith('src/words/') && !OPERATOR_FILES.some(([pattern]) => pattern.test(f)));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => sentencesIn(path.join(ROOT, f)))).toEqual([]);
  });

  test('the check finds a sentence where one is written', () => {
    const probe = path.join(ROOT, 'test/words/fixtures/sentenceOutsideCatalogue.ts');
    expect(sentencesIn(probe).map((s) => s.replace(/^.*: /, ''))).toEqual(['I could not find that project.', 'Started a run of  …  for you.']);
  });

  test('every text reply is catalogue text: sendActivity and the activities the bot sends never take a plain string', () => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram(filesUnder('src').map((f) => path.join(ROOT, f)), { ...config.options, noEmit: true });
    const checker = program.getTypeChecker();
    const offending: string[] = [];
    const plain = (node: ts.Expression) => {
      const type = checker.getTypeAtLocation(node);
      const parts = type.isUnion() ? type.types : [type];
      return parts.some((t) => (t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) !== 0);
    };
    for (const source of program.getSourceFiles().filter((s) => s.fileName.startsWith(path.join(ROOT, 'src')))) {
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(sendActivity|send|update)$/.test(node.expression.name.text)) {
          for (const arg of node.arguments) {
            const texts = ts.isObjectLiteralExpression(arg)
              ? arg.properties.filter((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && /^(text|summary)$/.test(p.name.getText(source))).map((p) => p.initializer)
              : node.expression.name.text === 'sendActivity' ? [arg] : [];
            for (const text of texts) if (plain(text)) offending.push(`${path.relative(ROOT, source.fileName)}: ${text.getText(source).slice(0, 80)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offending).toEqual([]);
  });
});
