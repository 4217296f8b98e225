import { flowStateSchema, newFlow } from '../../../src/setupRules/submitToFlow';
import { cardReading } from '../../helpers/cardWalk';
import { conversationCards, play, REFUSED_TOKEN, SetupDialogRig, setupDialogRig, Turn } from '../../helpers/setupDialogRig';

/** The cards of the conversation that still have buttons, as the person sees them now. */
const liveCards = (r: SetupDialogRig) => conversationCards(r).filter((c) => !c.frozen);
/** What each frozen card of the conversation says now, oldest first. */
const frozenCards = (r: SetupDialogRig) => conversationCards(r).filter((c) => c.frozen).map((c) => cardReading(c.card));

const TO_PROJECT: Turn[] = [
  { say: 'set up account sync', expect: /Step 1 of 5/ },
  { click: 'Continue', expect: /Step 2 of 5/ },
  { click: 'Next', changes: { mode: 'new' }, expect: /Step 3 of 5/ },
];

describe('the setup flow keeps one live card (issue 12, item 7)', () => {
  let r: SetupDialogRig;
  afterEach(async () => { await r.sandbox.close(); });

  test('typing during a setup leaves one card with buttons; the copies above say where it went; answered cards say what was chosen', async () => {
    r = await setupDialogRig();
    await play(r, [
      ...TO_PROJECT,
      { say: 'what now?', expect: /waiting at step 3 of 5 \(project\).*Step 3 of 5/ },
      { say: 'hello?', expect: /waiting at step 3 of 5/ },
      { click: 'Preview template', changes: { template: 'Contacts (Sales to CDS)' }, expect: /Preview of Contacts/ },
      { click: 'Next', changes: { consent: 'true' }, expect: /Step 4 of 5/ },
      { say: 'set up account sync', expect: /waiting at step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ]);
    const cards = conversationCards(r);
    expect(liveCards(r)).toEqual([cards.at(-1)]);
    expect(cardReading(cards.at(-1)!.card)).toMatch(/^Step 5 of 5/);
    expect(frozenCards(r)).toEqual([
      'Step 1 of 5: prerequisites | Everything needed is in place. The next step is below.',
      'Step 2 of 5: connection set | Connection set: D365SalesAccstoCDSAccs (new). The next step is below.',
      'Step 3 of 5: project | Moved below: use the newest card.',
      'Step 3 of 5: project | Moved below: use the newest card.',
      'Step 3 of 5: project | Project: Contacts Sales to CDS; template: Contacts (Sales to CDS). The next step is below.',
      'Step 4 of 5: review | Moved below: use the newest card.',
      'Step 4 of 5: review | Created: project Contacts Sales to CDS. The next step is below.',
    ]);
  });

  test('a card that can no longer be edited: the new copy is still sent, and the failure is logged without the request', async () => {
    r = await setupDialogRig();
    await play(r, TO_PROJECT);
    const [before] = liveCards(r);
    r.failUpdates = 1;
    await play(r, [{ say: 'what now?', expect: /waiting at step 3 of 5.*Step 3 of 5/ }]);
    // Best-effort: the old copy keeps its buttons (a click on it still works), the new one is below it.
    expect(liveCards(r).map((c) => c.id)).toEqual([before.id, conversationCards(r).at(-1)!.id]);
    expect(r.logs).toEqual([expect.objectContaining({ msg: 'could not update a card', cardActivityId: before.id, status: 403, code: 'Forbidden' })]);
    expect(JSON.stringify(r.logs)).not.toContain(REFUSED_TOKEN);

    await play(r, [{ say: 'and now?', expect: /waiting at step 3 of 5/ }]);
    expect(liveCards(r).map((c) => c.id)).toEqual([before.id, conversationCards(r).at(-1)!.id]);
  });

  test('a click that names no card (no replyToId) updates the flow\'s card instead of adding a copy', async () => {
    r = await setupDialogRig();
    await play(r, TO_PROJECT.slice(0, 2));
    const [step2] = liveCards(r);
    await play(r, [{ click: 'Next', changes: { mode: 'new', name: 'x' }, expect: /Use 3 to 64 characters/ }]);
    expect(liveCards(r).map((c) => c.id)).toEqual([step2.id]);
    expect(r.shown.at(-1)).toMatchObject({ kind: 'update', id: step2.id });
  });

  test('"Request schedule", "Cancel" and "Run now" freeze the card with what was done', async () => {
    r = await setupDialogRig();
    const toStepFive: Turn[] = [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts frozen', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ];
    await play(r, [...toStepFive, { click: 'Request schedule', changes: { every: '10', unit: 'minutes' }, expect: /schedule of Accounts frozen requested/ }]);
    expect(liveCards(r)).toEqual([]);
    expect(frozenCards(r).at(-1)).toBe('Step 5 of 5: run or schedule | Schedule requested, every 10 minutes: the approval card is below.');

    await play(r, [{ say: 'set up account sync', expect: /Step 1 of 5/ }, { click: 'Cancel', expect: /Setup cancelled/ }]);
    expect(frozenCards(r).at(-1)).toBe('Step 1 of 5: prerequisites | Setup cancelled.');

    // A third setup in the same tenant: the connection set the first one created is the default now (issue 32, item 3).
    await play(r, [...toStepFive.slice(0, 2), { click: 'Next', expect: /Step 3 of 5/ }, { click: 'Next', changes: { name: 'Accounts run', consent: 'true' }, expect: /Step 4 of 5/ }, { click: 'Create', expect: /Step 5 of 5/ }, { click: 'Run now', expect: /run of Accounts run started/ }]);
    // Answered means frozen (issue 32, item 1): the run's own card is where the person acts next.
    expect(liveCards(r)).toEqual([]);
    expect(frozenCards(r).at(-1)).toBe('Step 5 of 5: run or schedule | Run of Accounts run started: its card is below and shows the result. To put it on a schedule, type "schedule Accounts run".');
  });

  test('flow state stored before the card id was kept still reads', () => {
    const { draft, problems } = newFlow({ id: 'u1', name: 'Ada' });
    const stored = JSON.parse(JSON.stringify({ draft, problems })) as unknown;
    expect(flowStateSchema.parse(stored)).toEqual({ draft, problems });
  });
});
