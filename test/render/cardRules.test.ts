import fs from 'node:fs';
import path from 'node:path';
import { cardProblems } from '../helpers/cards';
import { ROOT } from '../helpers/build';
import { SAMPLE_CARDS } from './sampleCards';
import { actionBars, nodes, rawTimestamps, readable } from '../helpers/cardRules';

const templates = fs.readdirSync(path.join(ROOT, 'cards')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

describe('every card follows the rules of new Teams', () => {
  test('the samples cover every template in cards/', () => {
    expect(templates.filter((t) => !SAMPLE_CARDS.some(([name]) => name === t))).toEqual([]);
  });

  describe.each(SAMPLE_CARDS)('%s (%s)', (_name, _state, card) => {
    test('parses as Adaptive Card 1.5 and has no template marker left', () => {
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toMatch(/\$\{|"\$when"|"\$data"/);
    });

    test('at most three primary actions per action bar; the rest are secondary', () => {
      for (const bar of actionBars(card)) expect(bar.filter((a) => a.mode !== 'secondary').map((a) => a.title).length).toBeLessThanOrEqual(3);
    });

    test('an Input.Number value is a JSON number', () => {
      for (const n of nodes(card).filter((x) => x.type === 'Input.Number' && 'value' in x)) expect(typeof n.value).toBe('number');
    });

    test('every input with a rule has an errorMessage', () => {
      const ruled = nodes(card).filter((n) => String(n.type ?? '').startsWith('Input.') && (n.isRequired || 'min' in n || 'max' in n || 'regex' in n));
      expect(ruled.filter((n) => typeof n.errorMessage !== 'string' || n.errorMessage === '').map((n) => n.id)).toEqual([]);
    });

    test('no literal angle brackets in text a person reads', () => {
      expect(readable(card).filter((t) => /[<>]/.test(t))).toEqual([]);
    });

    test('no raw ISO timestamp in card text (dates go through the Teams date functions)', () => {
      expect(rawTimestamps(card)).toEqual([]);
    });
  });
});
