import { CARD_BYTES_MAX } from '../../src/render/cardFit';
import { dataflowsPickCard } from '../../src/render/dataflowPickCard';
import { type Dataflow, refreshOutcomeOf } from '../../src/integration/port';
import { Words } from '../../src/words/words';
import { cardProblems } from '../helpers/cards';
import { cardAction, cardChoices, cardText } from '../helpers/cardWalk';
import { rawTimestamps, readable } from '../helpers/cardRules';

const ENV = { name: 'env-1', displayName: 'Contoso', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const idOf = (i: number) => `4a1f0c2e-7b3d-4e5f-8a9b-${String(i).padStart(12, '0')}`;
/** Dataflow `i`, last refreshed `i` hours before T0 (never when `ended` is null). */
const dataflow = (i: number, name: string, ended: number | null = T0 - i * HOUR): Dataflow => ({
  id: idOf(i), name, active: true,
  ...(ended === null ? {} : { lastRefresh: { id: `r${i}`, dataflowId: idOf(i), status: 'Failed', outcome: refreshOutcomeOf('Failed'), endedAt: new Date(ended).toISOString() } }),
});
/** A name of the longest length Power Query takes (100 characters), with letters that weigh more than a byte and Markdown the card escapes. */
const longest = (i: number) => `Ü*_[Überweisungen] ${i} `.padEnd(100, 'Ä€');

const words = (lang: 'en' | 'de') => new Words(lang, 'Europe/Berlin');
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));

describe.each(['en', 'de'] as const)('the "watch dataflows" card of a large environment (%s)', (lang) => {
  test('250 dataflows: a card Teams accepts (under 28 KB)', () => {
    const dataflows = Array.from({ length: 250 }, (_, i) => dataflow(i, `Sales accounts to warehouse ${i}`));
    expect(cardProblems(dataflowsPickCard(ENV, dataflows, undefined, words(lang)))).toEqual([]);
  });

  test('600 dataflows with 100-character names: under the limit, the most recently refreshed listed, and the card says how many of how many', () => {
    const dataflows = Array.from({ length: 600 }, (_, i) => dataflow(i, longest(i))).reverse();
    const card = dataflowsPickCard(ENV, dataflows, undefined, words(lang));
    expect(cardProblems(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    const shown = cardChoices(card, 'dataflows');
    expect(shown.length).toBeGreaterThan(20);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => idOf(i)));
    expect(cardText(card)).toContain(lang === 'en'
      ? `Showing the ${shown.length} most recently refreshed of 600 dataflows. To reach another, type "watch dataflows" and part of its name`
      : `Hier stehen die ${shown.length} zuletzt aktualisierten von 600 Dataflows. Um einen anderen zu erreichen, tippe "watch dataflows" und einen Teil seines Namens`);
    // As many as fit: the card is full to within one choice (each weighs several hundred bytes here).
    expect(bytes(card)).toBeGreaterThan(CARD_BYTES_MAX - 1_000);
  });

  test('a long name filter and a problem on the card still fit', () => {
    const dataflows = Array.from({ length: 600 }, (_, i) => dataflow(i, longest(i)));
    const card = dataflowsPickCard(ENV, dataflows, { id: 'dataflow.pick.problemDataflows', params: { environment: 'Ä'.repeat(200) } }, words(lang), 'ü*_[überweisungen]');
    expect(cardProblems(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardText(card)).toMatch(lang === 'en' ? /Showing the \d+ most recently refreshed of 600 dataflows whose name contains/ : /Hier stehen die \d+ zuletzt aktualisierten von 600 Dataflows, deren Name/);
    expect(cardAction(card, lang === 'en' ? 'Watch' : 'Beobachten')).toMatchObject({ filter: 'ü*_[überweisungen]' });
  });
});

test('names and a filter with markup: none of it is read on the card that leaves some out', () => {
  const hostile = '<b>x</b> ${evil} **y** [z](https://evil.example)';
  const card = dataflowsPickCard(ENV, Array.from({ length: 300 }, (_, i) => dataflow(i, `${hostile} ${i}`)), undefined, words('en'), hostile);
  expect(cardText(card)).toMatch(/Showing the \d+ most recently refreshed of 300 dataflows whose name contains/);
  // Each is broken by the card's escaping (a word joiner after "<", "$" and "]", stars that are not asterisks).
  expect(readable(card).filter((t) => /<[a-z/]|\$\{|\*\*|\]\(|https:\/\//i.test(t))).toEqual([]);
  expect(rawTimestamps(card)).toEqual([]);
});

describe('which dataflows the card lists', () => {
  const en = words('en');
  test('all of a small environment, the most recently refreshed first, then the others by name, with no note', () => {
    const card = dataflowsPickCard(ENV, [dataflow(1, 'Zeta', null), dataflow(2, 'Beta', T0 - HOUR), dataflow(3, 'Alpha', null), dataflow(4, 'Gamma', T0), dataflow(5, 'Delta', T0 - HOUR)], undefined, en);
    expect(cardChoices(card, 'dataflows')).toEqual([idOf(4), idOf(2), idOf(5), idOf(3), idOf(1)]);
    expect(cardText(card)).not.toContain('Showing');
  });

  test('"watch dataflows sales": only those whose name contains it, in any case', () => {
    const card = dataflowsPickCard(ENV, [dataflow(1, 'EU Sales'), dataflow(2, 'Contacts'), dataflow(3, 'salesforce leads')], undefined, en, 'SALES');
    expect(cardChoices(card, 'dataflows')).toEqual([idOf(1), idOf(3)]);
    expect(cardText(card)).toContain('Dataflows in Contoso whose name contains "SALES".');
  });

  test('a filter that matches nothing says so, and how to see them all', () => {
    const card = dataflowsPickCard(ENV, [dataflow(1, 'Contacts')], undefined, en, 'sales');
    expect(cardChoices(card, 'dataflows')).toEqual([]);
    expect(cardText(card)).toContain('No dataflow in Contoso that you can read has "sales" in its name. Type "watch dataflows" to see them all.');
  });
});
