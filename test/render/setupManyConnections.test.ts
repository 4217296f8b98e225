/**
 * Step 2 of the setup for an admin of a big tenant: the card listed every connection of the person in every environment
 * (about 160 bytes each) and every connection set, so about 80 environments made a card Teams refuses ("Something went
 * wrong", or nothing). The card shows as many as fit, the picked ones first, says how many of how many, and "Find"
 * narrows the lists to reach any environment, connection or set.
 */
import { CARD_BYTES_MAX, cardBytes } from '../../src/render/cardFit';
import { setupCard } from '../../src/render/setupCards';
import type { SetupDraft } from '../../src/setupRules/draft';
import { endpointValue } from '../../src/setupRules/submissions';
import { FlowState, newFlow, submitToFlow, viewOfFlow } from '../../src/setupRules/submitToFlow';
import type { SetupView } from '../../src/setupRules/views';
import { Words } from '../../src/words/words';
import { bigSetName, bigTenant } from '../helpers/bigTenant';
import { cardProblems } from '../helpers/cards';
import { cardAction, cardChoices, cardInputs, cardReading } from '../helpers/cardWalk';

const words = (lang: 'en' | 'de') => new Words(lang, 'Europe/Berlin');
const env = (i: number) => `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`;
const dataverseIn = (i: number) => endpointValue(`shared-dataverse-${env(i)}`, env(i));
const dynamicsIn = (i: number) => endpointValue(`shared-dynamics365-${env(i)}`, env(i));
const atStepTwo = (draft: Partial<SetupDraft> = {}): FlowState => {
  const flow = newFlow({ id: 'ada', name: 'Ada' });
  return { ...flow, draft: { ...flow.draft, step: 'connectionSet', ...draft } };
};
const cardOf = (view: SetupView, lang: 'en' | 'de' = 'en') => setupCard(view, 'ada', words(lang));

describe('step 2 with 300 environments and 200 connection sets', () => {
  const di = bigTenant({ environments: 300, connectionSets: 200 });

  test.each([
    ['en', /Showing (\d+) of 200 connection sets/, /Showing (\d+) of 300 Dynamics 365 connections/, /Showing (\d+) of 300 Dataverse connections/],
    ['de', /(\d+) von 200 Verbindungssätzen/, /(\d+) von 300 Dynamics-365-Verbindungen/, /(\d+) von 300 Dataverse-Verbindungen/],
  ] as const)('one card Teams accepts, the defaults listed and picked, and how many of how many (%s)', async (lang, sets, dynamics, dataverse) => {
    const card = cardOf(await viewOfFlow(di, atStepTwo()), lang);
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardProblems(card)).toEqual([]);
    const text = cardReading(card);
    for (const [line, id] of [[sets, 'mode'], [dynamics, 'dynamics'], [dataverse, 'dataverse']] as const) {
      const shown = Number(text.match(line)?.[1]);
      // The new-set choice is one more than the sets listed.
      expect(cardChoices(card, id).length - (id === 'mode' ? 1 : 0)).toBe(shown);
      expect(shown).toBeGreaterThanOrEqual(15);
    }
    expect(text).toContain(lang === 'en' ? 'type part of its name or of its environment\'s in "Find"' : 'tippe einen Teil ihres Namens oder des Namens ihrer Umgebung in "Suchen"');
    // The set that already joins the Sales environment and the first other one listed is the default, and listed first.
    const inputs = cardInputs(card);
    expect(inputs.mode).toBe(`existing:${bigSetName(0)}`);
    expect(cardChoices(card, 'mode')[0]).toBe(inputs.mode);
    expect(cardChoices(card, 'dynamics')[0]).toBe(dynamicsIn(0));
    expect(inputs.dynamics).toBe(dynamicsIn(0));
    expect(cardChoices(card, 'dataverse')).toContain(inputs.dataverse);
  });

  test('what the person picked before is listed and picked again, wherever it is in the tenant\'s order', async () => {
    const spec = { name: 'Finance sync', dynamics: { connectionName: `shared-dynamics365-${env(0)}`, environmentName: env(0) }, dataverse: { connectionName: `shared-dataverse-${env(250)}`, environmentName: env(250) }, dynamicsOrganization: 'contosofinance0', dataverseOrganizationId: 'org-250' };
    const card = cardOf(await viewOfFlow(di, atStepTwo({ connectionSet: { mode: 'new', spec } })));
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardInputs(card)).toMatchObject({ mode: 'new', name: 'Finance sync', dataverse: dataverseIn(250) });
    expect(cardChoices(card, 'dataverse')[0]).toBe(dataverseIn(250));
    const reused = cardOf(await viewOfFlow(di, atStepTwo({ connectionSet: { mode: 'existing', name: bigSetName(180) } })));
    expect(cardChoices(reused, 'mode')[0]).toBe(`existing:${bigSetName(180)}`);
    expect(cardInputs(reused).mode).toBe(`existing:${bigSetName(180)}`);
  });

  test('"Find" narrows every list through the flow; a connection found so is the one the next step uses', async () => {
    let state = atStepTwo();
    const click = async (title: string, changes: Record<string, string>) => {
      const card = cardOf(await viewOfFlow(di, state));
      const result = await submitToFlow(di, state, { ...cardInputs(card), ...changes, ...cardAction(card, title) });
      if (result.kind !== 'show') throw new Error(`"${title}" gave ${result.kind}`);
      state = result.state;
      return cardOf(result.view);
    };
    const found = await click('Find', { filter: 'environment 247', mode: 'new', name: 'Finance sync' });
    // What was typed is kept; the picked Sales connection stays; the others are those of environment 247.
    expect(cardInputs(found)).toMatchObject({ filter: 'environment 247', mode: 'new', name: 'Finance sync', dynamics: dynamicsIn(0) });
    expect(cardChoices(found, 'dynamics')).toEqual([dynamicsIn(0), dynamicsIn(247)]);
    expect(cardChoices(found, 'dataverse')).toContain(dataverseIn(247));
    expect(cardChoices(found, 'mode')).toEqual([`existing:${bigSetName(52)}`, 'new']);
    expect(cardReading(found)).toContain('Listed: those whose name or environment\'s name contains "environment 247", and what you picked.');
    expect(cardReading(found)).not.toMatch(/Showing \d+ of/);

    const next = await click('Next', { dataverse: dataverseIn(247) });
    expect(cardReading(next)).toMatch(/^Step 3 of 5/);
    expect(state.draft.connectionSet).toMatchObject({ mode: 'new', spec: { name: 'Finance sync', dataverse: { environmentName: env(247) } } });
  });

  test('"Find" with a part no name has says so, and still lists what was picked', async () => {
    let state = atStepTwo();
    const card = cardOf(await viewOfFlow(di, state));
    const result = await submitToFlow(di, state, { ...cardInputs(card), filter: 'fabrikam', ...cardAction(card, 'Find') });
    if (result.kind !== 'show') throw new Error(result.kind);
    state = result.state;
    const shown = cardOf(result.view);
    expect(cardProblems(shown)).toEqual([]);
    expect(cardReading(shown)).toContain('No environment, connection or connection set has "fabrikam" in its name. Clear "Find" and click it to list them all.');
    expect(cardChoices(shown, 'dynamics')).toEqual([dynamicsIn(0)]);
  });
});

test('a small tenant: every choice, no "showing" line and no "Find"', async () => {
  const card = cardOf(await viewOfFlow(bigTenant({ environments: 4, connectionSets: 2 }), atStepTwo()));
  expect(cardChoices(card, 'dynamics')).toHaveLength(4);
  expect(cardReading(card)).not.toMatch(/Showing|Find/);
});
