import { CARD_BYTES_MAX } from '../../src/render/cardFit';
import { environmentPickCard } from '../../src/render/dataflowPickCard';
import { Words } from '../../src/words/words';
import { cardProblems } from '../helpers/cards';
import { cardChoices, cardText } from '../helpers/cardWalk';

const idOf = (i: number) => `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`;
const environment = (i: number, displayName = `Contoso developer environment ${i}`) => ({
  name: idOf(i), displayName, instanceUrl: `https://org${i}.crm.dynamics.com/`, instanceApiUrl: `https://org${i}.api.crm.dynamics.com/`,
});
const words = (lang: 'en' | 'de') => new Words(lang, 'Europe/Berlin');
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));

describe('"watch dataflows" for an admin of a tenant with many Dataverse environments', () => {
  test('the environment card stays under the size Teams accepts (300 environments made a 28.5 KB card)', () => {
    const environments = Array.from({ length: 300 }, (_, i) => ({
      name: `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: `Contoso developer environment ${i}`,
      instanceUrl: `https://org${i}.crm.dynamics.com/`, instanceApiUrl: `https://org${i}.api.crm.dynamics.com/`,
    }));
    expect(Buffer.byteLength(JSON.stringify(environmentPickCard(environments, true)))).toBeLessThanOrEqual(CARD_BYTES_MAX);
  });

  test.each(['en', 'de'] as const)('300 environments (%s): as many as fit, in name order, and the card says how many of how many and how to reach another', (lang) => {
    // Listed by the admin API in no useful order.
    const environments = Array.from({ length: 300 }, (_, i) => environment(i)).reverse();
    const card = environmentPickCard(environments, true, undefined, words(lang));
    expect(cardProblems(card)).toEqual([]);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    const shown = cardChoices(card, 'environment');
    expect(shown.length).toBeGreaterThan(100);
    expect(shown.length).toBeLessThan(300);
    // Numbers in names in the order a person counts (2 before 10).
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => idOf(i)));
    expect(cardText(card)).toContain(lang === 'en'
      ? `Showing the first ${shown.length} of 300 environments, by name. To reach another, type "watch dataflows in" and part of its name, for example "watch dataflows in contoso".`
      : `Hier stehen die ersten ${shown.length} von 300 Umgebungen, nach Namen. Um eine andere zu erreichen, tippe "watch dataflows in" und einen Teil ihres Namens, zum Beispiel "watch dataflows in contoso".`);
    expect(bytes(card)).toBeGreaterThan(CARD_BYTES_MAX - 1_000);
  });

  test('environments picked by part of their name ("watch dataflows in dev"): the note says which, and to type more of the name', () => {
    const environments = Array.from({ length: 400 }, (_, i) => environment(i, `Ä€ dev ${i}`.padEnd(60, 'Ä')));
    const card = environmentPickCard(environments, false, undefined, words('de'), '', 'dev');
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardText(card)).toMatch(/Hier stehen die ersten \d+ von 400 Umgebungen, deren Name "dev" enthält/);
    expect(cardText(environmentPickCard(environments, false, undefined, words('en'), '', 'dev')))
      .toMatch(/Showing the first \d+ of 400 environments whose name contains "dev", by name\. To reach another, type "watch dataflows in" and more of its name\./);
  });

  test('a few environments: all of them, by shown name then id, with no note', () => {
    const environments = [environment(3, 'Zeta'), environment(2, ''), environment(1, 'Alpha'), environment(0, 'alpha')];
    const card = environmentPickCard(environments, false, undefined, words('en'));
    // One without a shown name is shown (and sorted) by its id.
    expect(cardChoices(card, 'environment')).toEqual([idOf(2), idOf(0), idOf(1), idOf(3)]);
    expect(cardText(card)).not.toContain('Showing');
  });
});
