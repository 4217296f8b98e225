import type { TurnContext } from 'botbuilder';
import { parseCommand } from '../../../src/commands';
import { registerDataflows, type DataflowsDeps } from '../../../src/features/dataflows/registerDataflows';
import type { DataIntegration, Dataflow } from '../../../src/integration/port';
import type { CardAction } from '../../../src/teams/cardActions';
import type { CommandHandler, DataIntegrationBot } from '../../../src/teams/dataIntegrationBot';
import { VERBS } from '../../../src/verbs';
import { cardAction, cardChoices, cardText } from '../../helpers/cardWalk';

const env = (name: string) => ({ name, displayName: name, instanceUrl: `https://${name}.crm.dynamics.com/`, instanceApiUrl: `https://${name}.api.crm.dynamics.com/` });
const idOf = (i: number) => `4a1f0c2e-7b3d-4e5f-8a9b-${String(i).padStart(12, '0')}`;
const DATAFLOWS: Dataflow[] = ['EU Sales orders', 'Contacts', 'Salesforce leads', 'Products'].map((name, i) => ({ id: idOf(i), name, active: true }));

/**
 * The "watch dataflows" command and its buttons, registered on a bot that only keeps them, over `environments`
 * (contoso and fabrikam by default); `refuseCards` makes Teams refuse every card (as it refuses one too large).
 */
function rig(environments = [env('contoso'), env('fabrikam')], { refuseCards = false, locale = 'en-GB' } = {}) {
  let typed: CommandHandler | undefined;
  let actions: Record<string, CardAction> = {};
  const bot = {
    onTextCommand(_name: string, handler: CommandHandler) { typed = handler; return bot; },
    onCardActions(a: Record<string, CardAction>) { actions = a; return bot; },
  } as unknown as DataIntegrationBot;
  const listedIn: string[] = [];
  const di = {
    listEnvironments: async () => environments,
    listDataflows: async (e: { name: string }) => { listedIn.push(e.name); return DATAFLOWS; },
  } as unknown as DataIntegration;
  registerDataflows(bot, { source: async () => di } as unknown as DataflowsDeps);
  const sent: unknown[] = [];
  const texts: string[] = [];
  const context = {
    activity: { type: 'message', from: { id: '29:ada', name: 'Ada', aadObjectId: 'ada' }, conversation: { id: '19:general', conversationType: 'channel' }, locale },
    turnState: new Map(),
    sendActivity: async (a: string | { text?: string; attachments?: Array<{ content: unknown }> }) => {
      if (typeof a === 'string') texts.push(a);
      else if (a.attachments) {
        if (refuseCards) throw Object.assign(new Error('Message size too large'), { statusCode: 413, code: 'MessageSizeTooBig' });
        sent.push(a.attachments[0]!.content);
      } else if (a.text) texts.push(a.text);
      return { id: 'm' };
    },
  } as unknown as TurnContext;
  return { type: (text: string) => typed!(context, parseCommand(text)), click: (verb: string, data: Record<string, unknown>) => actions[verb]!(context, data), sent, texts, listedIn };
}

describe('"watch dataflows" followed by part of a name', () => {
  test('the environment card carries it, and the next card lists only the dataflows named so, in any case', async () => {
    const { type, click, sent } = rig();
    await type('watch dataflows SALES');
    const next = cardAction(sent.at(-1), 'Next');
    expect(next).toMatchObject({ filter: 'SALES' });
    const listed = await click(VERBS.dataflowPickEnvironment, { ...next, environment: 'contoso' });
    expect(cardChoices(listed.card, 'dataflows')).toEqual([idOf(0), idOf(2)]);
    expect(cardText(listed.card)).toContain('whose name contains "SALES"');
    // A picked dataflow gone meanwhile: the card shown again keeps the filter.
    const again = await click(VERBS.dataflowWatch, { ...cardAction(listed.card, 'Watch'), dataflows: idOf(9), level: 'all' });
    expect(cardChoices(again.card, 'dataflows')).toHaveLength(2);
  });

  test('without a name, every dataflow; an environment not picked keeps the filter on the card shown again', async () => {
    const { type, click, sent } = rig();
    await type('watch dataflows');
    expect(cardAction(sent.at(-1), 'Next')).toMatchObject({ filter: '' });
    const listed = await click(VERBS.dataflowPickEnvironment, { environment: 'contoso' });
    expect(cardChoices(listed.card, 'dataflows')).toHaveLength(4);
    const missing = await click(VERBS.dataflowPickEnvironment, { filter: 'leads' });
    expect(cardAction(missing.card, 'Next')).toMatchObject({ filter: 'leads' });
  });
});

describe('picking more dataflows than one click may watch', () => {
  test('101 picked: told the limit, nothing watched (not "pick at least one")', async () => {
    const { click } = rig();
    const picked = Array.from({ length: 101 }, (_, i) => idOf(i)).join(',');
    const answer = await click(VERBS.dataflowWatch, { environment: 'contoso', dataflows: picked, level: 'all' });
    expect(String(answer.text)).toMatch(/Pick at most 100 dataflows at a time/);
  });
});

describe('"watch dataflows in" and part of an environment\'s name (one the environment card may leave out)', () => {
  const many = [env('contoso'), env('contoso-dev'), { ...env('b2c9e0aa-1111-4000-8000-000000000001'), displayName: 'Fabrikam Production' }, env('northwind')];

  test('one environment named so: straight to its dataflows, in any case', async () => {
    const { type, sent, listedIn } = rig(many);
    await type('watch dataflows in FABRIKAM');
    expect(listedIn).toEqual(['b2c9e0aa-1111-4000-8000-000000000001']);
    expect(cardChoices(sent.at(-1), 'dataflows')).toHaveLength(4);
    expect(cardText(sent.at(-1))).toContain('Dataflows in Fabrikam Production.');
  });

  test('several: the environment card with only those; part of an id picks as well', async () => {
    const { type, sent } = rig(many);
    await type('watch dataflows in contoso');
    expect(cardChoices(sent.at(-1), 'environment')).toEqual(['contoso', 'contoso-dev']);
    await type('watch dataflows in b2c9e0aa');
    expect(cardText(sent.at(-1))).toContain('Dataflows in Fabrikam Production.');
  });

  test('none: says so, and how to see them all (in English and German)', async () => {
    const en = rig(many);
    await en.type('watch dataflows in litware');
    expect(en.sent).toEqual([]);
    expect(en.texts.join('\n')).toContain('No environment with a Dataverse database that you can read has "litware" in its name. Type "watch dataflows" to see them all.');
    const de = rig(many, { locale: 'de-DE' });
    await de.type('watch dataflows in litware');
    expect(de.texts.join('\n')).toContain('Keine Umgebung mit einer Dataverse-Datenbank, die du lesen kannst, hat "litware" im Namen. Tippe "watch dataflows", um alle zu sehen.');
  });
});

describe('a "watch dataflows" card Teams does not take', () => {
  test('the person is told in their language what to try, not "something went wrong"', async () => {
    const en = rig(undefined, { refuseCards: true });
    await expect(en.type('watch dataflows')).resolves.toBeUndefined();
    expect(en.texts.join('\n')).toContain('Teams did not take the card to pick dataflows, so I could not show it.');
    const de = rig(undefined, { refuseCards: true, locale: 'de-DE' });
    await de.type('watch dataflows in fabrikam');
    expect(de.texts.join('\n')).toContain('Teams hat die Karte zur Auswahl der Dataflows nicht angenommen');
  });
});
