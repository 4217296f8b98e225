import fs from 'node:fs';
import path from 'node:path';
import { VERBS } from '../../src/verbs';
import { ROOT } from '../helpers/build';

/** Every `verb` in a template: Action.Execute's own and the one Action.Submit carries in its data. */
function verbsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => verbsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'verb' && typeof value === 'string') found.add(value);
      else verbsIn(value, found);
    }
  }
  return found;
}

describe('card verbs', () => {
  const cardsDir = path.join(ROOT, 'cards');
  const inCards = new Map<string, string[]>();
  for (const file of fs.readdirSync(cardsDir).filter((f) => f.endsWith('.json'))) {
    for (const verb of verbsIn(JSON.parse(fs.readFileSync(path.join(cardsDir, file), 'utf8')))) {
      inCards.set(verb, [...(inCards.get(verb) ?? []), file]);
    }
  }

  test('every verb a card uses is declared in src/verbs.ts', () => {
    const declared = new Set<string>(Object.values(VERBS));
    expect([...inCards.keys()].filter((v) => !declared.has(v))).toEqual([]);
  });

  test('every declared verb is used by some card', () => {
    expect(Object.values(VERBS).filter((v) => !inCards.has(v))).toEqual([]);
  });
});
