import fs from 'node:fs';
import path from 'node:path';
import { cardProblems } from '../helpers/cards';
import { ROOT } from '../helpers/build';
import { SAMPLE_CARDS, sampleCards } from './sampleCards';
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

describe('no card shows a backslash escape a person did not type (issue 21, item 4)', () => {
  // Names as people type them, with every piece of Markdown Teams reads on a card, and none of them typing a backslash.
  const hostile = { project: '**Q3sales** _q3_ [x](https://evil.example) (v2.1) {{DATE(2020-01-01T00:00:00Z)}}', person: '- Erin **Admin** #1', text: '1. Accounts (Sales to CDS). ${evil}' };
  const shown = (card: unknown) => readable(card).map((t) => t.replace(/\u2060/g, '').replace(/\u2217/g, '*'));

  test.each(sampleCards(hostile))('%s (%s): no backslash in any text, and no Markdown or card function of theirs is read', (_name, _state, card) => {
    expect(readable(card).filter((t) => t.includes('\\'))).toEqual([]);
    expect(readable(card).filter((t) => /\*\*Q3sales|\]\(https:\/\/evil|\{\{DATE\(2020|\$\{evil|^- Erin|^1\. Acc/m.test(t))).toEqual([]);
  });

  test('the approval history of a Markdown name shows the name, escaped once', () => {
    const card = sampleCards(hostile).find(([name]) => name === 'approvalHistory')![2];
    expect(shown(card).join('\n')).toContain(`Approval history of ${hostile.project}`);
  });
});
