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

/** The "watch dataflows" command and its buttons, registered on a bot that only keeps them, over two environments. */
function rig() {
  let typed: CommandHandler | undefined;
  let actions: Record<string, CardAction> = {};
  const bot = {
    onTextCommand(_name: string, handler: CommandHandler) { typed = handler; return bot; },
    onCardActions(a: Record<string, CardAction>) { actions = a; return bot; },
  } as unknown as DataIntegrationBot;
  const di = { listEnvironments: async () => [env('contoso'), env('fabrikam')], listDataflows: async () => DATAFLOWS } as unknown as DataIntegration;
  registerDataflows(bot, { source: async () => di } as unknown as DataflowsDeps);
  const sent: unknown[] = [];
  const context = {
    activity: { type: 'message', from: { id: '29:ada', name: 'Ada', aadObjectId: 'ada' }, conversation: { id: '19:general', conversationType: 'channel' }, locale: 'en-GB' },
    turnState: new Map(),
    sendActivity: async (a: { attachments?: Array<{ content: unknown }> }) => { if (a.attachments) sent.push(a.attachments[0]!.content); return { id: 'm' }; },
  } as unknown as TurnContext;
  return { type: (text: string) => typed!(context, parseCommand(text)), click: (verb: string, data: Record<string, unknown>) => actions[verb]!(context, data), sent };
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
