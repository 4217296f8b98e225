import { SANDBOX_ENVIRONMENTS } from '../../../dev/sandbox';
import { RECURRENCE_UNITS } from '../../../src/integration/port';
import { cardAction, cardChoices, cardInputs, cardText } from '../../helpers/cardWalk';
import { createSandboxProject } from '../../helpers/sandboxProject';
import { conversationCards, forms, play, SetupDialogRig, setupDialogRig, Turn, turn } from '../../helpers/setupDialogRig';

const TO_PROJECT: Turn[] = [
  { say: 'set up account sync', expect: /Step 1 of 5.*Everything needed is in place/ },
  { click: 'Continue', expect: /Step 2 of 5/ },
  { click: 'Next', changes: { mode: 'new' }, expect: /Step 3 of 5/ },
];

describe('SetupDialog, turn by turn against the sandbox', () => {
  let r: SetupDialogRig;
  afterEach(async () => { await r.sandbox.close(); });

  test.each<[string, Turn[], (r: SetupDialogRig) => Promise<void> | void]>([
    ['the whole way to "Run now"', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts nightly', consent: 'true' }, expect: /Step 4 of 5.*Accounts nightly/ },
      { click: 'Create', expect: /Step 5 of 5.*Accounts nightly is ready/ },
      { click: 'Run now', expect: /run of Accounts nightly started/ },
    ], (x) => { expect(x.runs).toEqual(['Accounts nightly']); }],
    ['a schedule request with the suggested 5 minutes', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts every5', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Request schedule', changes: { every: '0' }, expect: /whole number from 1 to 1000/ },
      { click: 'Request schedule', changes: { every: '5', unit: 'minutes' }, expect: /schedule of Accounts every5 requested/ },
    ], (x) => { expect(x.schedules).toEqual([['Accounts every5', { every: 5, unit: 'minutes' }]]); }],
    ['back from each step shows the step before', [
      ...TO_PROJECT,
      { click: 'Back', expect: /Step 2 of 5/ },
      { click: 'Back', expect: /Step 1 of 5/ },
    ], () => undefined],
    ['invalid inputs are named next to their field and kept', [
      { say: 'go', expect: /Step 1 of 5/ },
      { click: 'Continue', expect: /Step 2 of 5/ },
      { click: 'Next', changes: { mode: 'new', name: 'x', dynamics: 'forged|nowhere' }, expect: /Use 3 to 64 characters.*Pick a Dynamics 365 connection/ },
      { click: 'Next', changes: { mode: 'existing:NoSuchSet' }, expect: /no longer exists/ },
    ], () => undefined],
    ['a stale card changes nothing', [
      ...TO_PROJECT,
      { click: 'Next', stale: 1, expect: /earlier step/ },
      { click: 'Next', changes: { name: 'Stale check', consent: 'true' }, expect: /Step 4 of 5/ },
    ], () => undefined],
    ['typing while a card waits shows where the flow is', [
      ...TO_PROJECT,
      { say: 'what now?', expect: /waiting at step 3 of 5.*Step 3 of 5/ },
    ], () => undefined],
    ['an empty, too large or non-numeric recurrence is answered next to the field (issue 12, item 2)', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts bad every', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Request schedule', changes: { every: '' }, expect: /whole number from 1 to 1000/ },
      { click: 'Request schedule', changes: { every: '1001' }, expect: /whole number from 1 to 1000/ },
      { click: 'Request schedule', changes: { every: 'abc' }, expect: /whole number from 1 to 1000/ },
      { click: 'Request schedule', changes: { every: '2', unit: 'weeks' }, expect: /schedule of Accounts bad every requested/ },
    ], (x) => {
      expect(x.schedules).toEqual([['Accounts bad every', { every: 2, unit: 'weeks' }]]);
      const [, , bad] = forms(x).slice(-3) as Array<{ body: Array<{ type: string; text?: string; weight?: string }> }>;
      const at = bad.body.findIndex((e) => e.type === 'ColumnSet');
      expect(bad.body[at + 1]).toMatchObject({ weight: 'Bolder', text: 'Enter a whole number from 1 to 1000.' });
    }],
    ['the step-5 card offers the units the schedule command takes (issue 12, item 19)', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts units', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ], (x) => {
      expect(cardChoices(forms(x).at(-1), 'unit')).toEqual([...RECURRENCE_UNITS]);
      expect(cardInputs(forms(x).at(-1)).every).toBe('5');
      expect(JSON.stringify(forms(x).at(-1))).toContain('"value":5');
    }],
    ['a first setup has no single-option radio group, and review after Back from a created project says Continue (item 20)', [
      { say: 'set up account sync', expect: /Step 1 of 5/ },
      { click: 'Continue', expect: /Step 2 of 5/ },
      { click: 'Next', expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts back again', consent: 'true' }, expect: /Step 4 of 5.*Check and create/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Back', expect: /Step 4 of 5/ },
    ], (x) => {
      expect(cardChoices(forms(x)[1], 'mode')).toEqual([]);
      const review = cardText(forms(x).at(-1));
      expect(review).not.toMatch(/Check and create|\| Create \|/);
      expect(review).toMatch(/Already created.*Continue/);
      expect(review).not.toMatch(/Common Data Service|Dataverse \(CDS\)/);
    }],
    ['changing the template changes the preview and the suggested name (item 3)', [
      ...TO_PROJECT,
      { click: 'Preview template', changes: { template: 'Contacts (Sales to CDS)' }, expect: /Preview of Contacts/ },
      { click: 'Next', changes: { consent: 'true' }, expect: /Step 4 of 5.*Contacts Sales to CDS/ },
    ], (x) => {
      expect(cardInputs(forms(x).at(-2)).name).toBe('Contacts Sales to CDS');
      expect(cardText(forms(x).at(-1))).not.toMatch(/Accounts/);
    }],
    ['Next right after picking another template shows its preview first instead of keeping the old name (item 3)', [
      ...TO_PROJECT,
      { click: 'Next', changes: { template: 'Contacts (Sales to CDS)', consent: 'true' }, expect: /Step 3 of 5.*Preview of Contacts.*another template/ },
      { click: 'Next', changes: { consent: 'true' }, expect: /Step 4 of 5.*Contacts Sales to CDS/ },
    ], () => undefined],
    ['review and the existing-set choice show names, not ids (item 4)', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts labels', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Done for now', expect: /Setup closed/ },
      { say: 'set up account sync', expect: /Step 1 of 5/ },
      { click: 'Continue', expect: /Step 2 of 5.*Use "D365SalesAccstoCDSAccs" \(Contoso Sales \(Dynamics 365\) → Contoso CDS\)/ },
    ], (x) => {
      const review = cardText(forms(x)[3]);
      expect(review).toMatch(/Dynamics 365 \| .* in Contoso Sales \(Dynamics 365\)/);
      expect(review).toMatch(/Template \| Accounts \(Sales to CDS\)/);
      expect(review).not.toMatch(/shared-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    }],
    ['a typed name is kept when the template changes', [
      ...TO_PROJECT,
      { click: 'Preview template', changes: { name: 'My own name', template: 'Contacts (Sales to CDS)' }, expect: /Preview of Contacts/ },
    ], (x) => { expect(cardInputs(forms(x).at(-1)).name).toBe('My own name'); }],
    ['cancel on a card says what was created', [
      ...TO_PROJECT,
      { click: 'Cancel', expect: /Setup cancelled. Nothing was created/ },
    ], () => undefined],
  ])('%s', async (_name, turns, check) => {
    r = await setupDialogRig();
    await play(r, turns);
    await check(r);
  });

  test('a click shows typing at once; a validation error updates the clicked card in place; an answered card is frozen (items 7, 9)', async () => {
    r = await setupDialogRig();
    await play(r, [{ say: 'set up account sync', expect: /Step 1 of 5/ }]);
    const clickOn = async (title: string, changes: Record<string, string> = {}) => {
      const { id, card } = conversationCards(r).filter((c) => !c.frozen).at(-1)!;
      const before = r.shown.length;
      await turn(r, { type: 'message', replyToId: id, value: { ...cardInputs(card), ...changes, ...cardAction(card, title) } });
      const shown = r.shown.slice(before);
      return { id, shown, updates: shown.filter((s) => s.kind === 'update'), cardsSent: shown.filter((s) => s.kind === 'send' && s.activity.attachments?.length) };
    };
    const toStep2 = await clickOn('Continue');
    expect(toStep2.shown[0].activity.type).toBe('typing');
    expect(toStep2.updates).toEqual([expect.objectContaining({ id: toStep2.id })]);
    const frozen = toStep2.updates[0].activity.attachments![0].content;
    expect(cardText(frozen)).toMatch(/Step 1 of 5: prerequisites \| Everything needed is in place/);
    expect(frozen.actions).toBeUndefined();

    const invalid = await clickOn('Next', { mode: 'new', name: 'x' });
    expect(invalid.cardsSent).toEqual([]); // no copy of the card appended
    expect(invalid.updates).toEqual([expect.objectContaining({ id: invalid.id })]);
    expect(cardText(invalid.updates[0].activity.attachments![0].content)).toMatch(/Step 2 of 5.*Use 3 to 64 characters/);
  });

  test('a tenant of today (no Dynamics 365 connector): a Dataverse connection in Sales is the Dynamics 365 side (item 25)', async () => {
    r = await setupDialogRig({ legacyDynamicsConnector: false });
    await play(r, [
      { say: 'set up account sync', expect: /Everything needed is in place/ },
      { click: 'Continue', expect: /Step 2 of 5.*Contoso Sales \(Dynamics 365\): [^|]+ \(Dataverse connector\)/ },
      { click: 'Next', expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts today', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ]);
    const [set] = await r.di.listConnectionSets();
    expect(set.dynamics).toMatchObject({ environmentName: SANDBOX_ENVIRONMENTS.sales.name, connectionName: expect.stringMatching(/^shared-commondataser/) });
  });

  test('the missing-connection path: steps to create it, and "Check again" finds it still missing', async () => {
    r = await setupDialogRig({ withoutDynamicsConnectionIn: [SANDBOX_ENVIRONMENTS.sales.name] });
    await play(r, [
      { say: 'start', expect: /Some connections are missing.*Contoso Sales \(Dynamics 365\).*has no Dynamics 365 connection.*New connection.*choose \*\*Dataverse \(Legacy\)\*\*/ },
      { click: 'Check again', expect: /Some connections are missing/ },
    ]);
    expect(() => cardAction(forms(r).at(-1), 'Continue')).toThrow();
  });

  test('a service that is down gets "Try again", and nothing entered is lost', async () => {
    r = await setupDialogRig();
    await play(r, TO_PROJECT);
    r.sandbox.faults.inject({ route: /Project/, status: 503, times: 1000 });
    await play(r, [{ click: 'Next', changes: { name: 'Down then up', consent: 'true' }, expect: /not answering.*Nothing you entered is lost/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 3 of 5/ }]);
    expect(cardInputs(forms(r).at(-1)).name).toBeTruthy();
  });

  test.each<[string, Turn[], Record<string, string>]>([
    ['step 2', TO_PROJECT.slice(0, 2), { name: 'MyOwnSetName' }],
    ['step 3', TO_PROJECT, { name: 'My typed project', consent: 'true' }],
  ])('a service down for minutes on %s: "Try again" shows the form with what was typed, as its card promises', async (_step, turns, typed) => {
    r = await setupDialogRig();
    await play(r, turns);
    r.sandbox.faults.inject({ route: /./, status: 503, times: 100_000 });
    await play(r, [{ click: 'Next', changes: typed, expect: /not answering.*Nothing you entered is lost/ }]);
    // What to do is said, in words a person knows (not the service's internal id, "the bap service").
    expect(cardText(forms(r).at(-1))).toMatch(/is not answering \| It is down or busy right now \(.*\)\. Click "Try again" in a minute\./);
    expect(cardText(forms(r).at(-1))).not.toMatch(/\b(bap|integrator|powerapps) service/);
    // The person clicks "Try again" while the outage lasts: still the problem, and still nothing lost.
    await play(r, [{ click: 'Try again', expect: /not answering.*Nothing you entered is lost/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: turns === TO_PROJECT ? /Step 3 of 5/ : /Step 2 of 5/ }]);
    expect(cardInputs(forms(r).at(-1))).toMatchObject(typed);
  });

  test('"Try again" from a client that sends more than a form\'s inputs during an outage: the setup stays readable, and goes on once the service answers', async () => {
    r = await setupDialogRig();
    await play(r, TO_PROJECT);
    r.sandbox.faults.inject({ route: /./, status: 503, times: 100_000 });
    await play(r, [{ click: 'Next', changes: { name: 'Kept through it', consent: 'true' }, expect: /not answering/ }]);
    const extra = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extra${i}`, 'x']));
    await play(r, [{ click: 'Try again', changes: extra, expect: /not answering.*Nothing you entered is lost/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 3 of 5/ }]);
    expect(cardInputs(forms(r).at(-1))).toMatchObject({ name: 'Kept through it', consent: 'true' });
  });

  test('"Try again" on a review the services could not show shows the review to check, and creates nothing', async () => {
    r = await setupDialogRig();
    await play(r, TO_PROJECT);
    r.sandbox.faults.inject({ route: 'listEnvironments', status: 503, times: 1000 });
    await play(r, [{ click: 'Next', changes: { name: 'Unreviewed sync', consent: 'true' }, expect: /not answering.*Try again/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 4 of 5.*Unreviewed sync/ }]);
    expect((await r.di.listProjects()).map((p) => p.name)).not.toContain('Unreviewed sync');
    expect(cardAction(forms(r).at(-1), 'Create')).toMatchObject({ step: 'review', action: 'next' });
  });

  test('a refusal by the service is shown next to the field it concerns, where it can be fixed', async () => {
    r = await setupDialogRig();
    await play(r, [...TO_PROJECT, { click: 'Next', changes: { name: 'Taken meanwhile', consent: 'true' }, expect: /Step 4 of 5/ }]);
    await createSandboxProject(r.di, 'Taken meanwhile'); // someone else takes the name before "Create"
    await play(r, [{ click: 'Create', expect: /Step 3 of 5/ }]);
    const body = (forms(r).at(-1) as { body: Array<{ id?: string; text?: string; weight?: string }> }).body;
    const nameAt = body.findIndex((e) => e.id === 'name');
    expect(body[nameAt + 1]).toMatchObject({ weight: 'Bolder', text: expect.stringMatching(/Taken meanwhile.*(exists|taken|already)/i) });
    await play(r, [{ click: 'Next', changes: { name: 'Free name', consent: 'true' }, expect: /Step 4 of 5/ }, { click: 'Create', expect: /Step 5 of 5/ }]);
    expect((await r.di.listConnectionSets()).filter((set) => set.name.startsWith('D365'))).toHaveLength(1);
  });

  test('a failure half-way (project refused) retries without a second connection set', async () => {
    r = await setupDialogRig();
    await play(r, [...TO_PROJECT, { click: 'Next', changes: { name: 'Half way', consent: 'true' }, expect: /Step 4 of 5/ }]);
    const setsBefore = (await r.di.listConnectionSets()).length;
    r.sandbox.faults.inject({ route: /Project\/Half/, method: 'PUT', status: 500, times: 5 });
    await play(r, [{ click: 'Create', expect: /Try again/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 5 of 5/ }]);
    expect((await r.di.listConnectionSets()).length).toBe(setsBefore + 1);
    expect((await r.di.getProject('Half way')).name).toBe('Half way');
  });
});
