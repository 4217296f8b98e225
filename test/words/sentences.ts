import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A user-facing sentence: three words or more of letters, as people write them (not an id, path, route or format). */
export const SENTENCE = /[A-Za-z][a-z']+,? [a-z']+,? [a-z']{2,}/;

/** Calls whose text is for operators (logs, thrown errors, spans, metrics), not for a person in Teams. */
const OPERATOR_CALLS = /^(?:.*\.)?(?:trace|debug|info|warn|error|fatal|child|run|describe|refine|setStatus|recordException|createHistogram|createCounter|createUpDownCounter|createObservableGauge|startActiveSpan|startSpan|gone|catch|prepare|exec)$|^(?:super|Error|TypeError|RangeError|[A-Z]\w*(?:Error|Unavailable)|NoSignIn|malformed)$/;

/** Every string literal (and template text) of a file with the call or property it stands in, skipping operator-facing ones. */
export function sentencesIn(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const forOperators = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && OPERATOR_CALLS.test(n.expression.getText(source))) return true;
      if (ts.isPropertyAssignment(n) && /^(description|log|unit|message|reason|command|filter)$/.test(n.name.getText(source))) return true;
      if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return false;
    }
    return false;
  };
  const visit = (node: ts.Node) => {
    const text = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text
      : ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' … ') : undefined;
    if (text !== undefined && SENTENCE.test(text) && !ts.isImportDeclaration(node.parent) && !forOperators(node)) {
      found.push(`${path.relative(process.cwd(), file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
