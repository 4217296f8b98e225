import { Activity, TestAdapter } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { GuidedSetupDialog } from '../../../src/features/setup/guidedSetupDialog';
import type { RecurringRecurrence } from '../../../src/integration/port';
import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../../src/integration';
import { Sandbox, SANDBOX_ENVIRONMENTS, SeedOptions, startSandbox } from '../../../dev/sandbox';
import { RECURRENCE_UNITS } from '../../../src/integration/port';
import { cardAction, cardChoices, cardInputs, cardText } from '../../helpers/cardWalk';
import { tempDataDir } from '../../helpers/harness';
import { createSandboxProject } from '../../helpers/sandboxProject';

/** One turn of a table: what the person does, and what they must then read. */
type Turn = { say?: string; click?: string; changes?: Record<string, string>; stale?: number; expect: RegExp };

interface Rig { client: DialogTestClient; sandbox: Sandbox; di: DataIntegration; runs: string[]; schedules: Array<[string, Omit<RecurringRecurrence, 'kind'>]>; replies: Partial<Activity>[] }

async function rig(seed?: SeedOptions): Promise<Rig> {
  const sandbox = await startSandbox({ port: 0, dataDir: tempDataDir(), seed });
  const di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 2000, maxRetries: 0 });
  const runs: string[] = [];
  const schedules: Array<[string, Omit<RecurringRecurrence, 'kind'>]> = [];
  const dialog = new GuidedSetupDialog({
    dataIntegration: async () => di,
    startRun: async (context, projectName) => { runs.push(projectName); await context.sendActivity(`run of ${projectName} started`); },
    requestSchedule: async (context, projectName, r) => { schedules.push([projectName, { every: r.every, unit: r.unit }]); await context.sendActivity(`schedule of ${projectName} requested`); },
    projectCreated: async () => undefined,
  });
  return { client: new DialogTestClient('msteams', dialog), sandbox, di, runs, schedules, replies: [] };
}

/** Everything the dialog sent in answer to one activity, as text a person reads. */
async function turn(r: Rig, activity: Partial<Activity> | string): Promise<string> {
  const first = await r.client.sendActivity(activity);
  const all: Partial<Activity>[] = [];
  for (let reply = first; reply; reply = r.client.getNextReply()) all.push(reply);
  r.replies.push(...all);
  return all.map((a) => a.text ?? (a.attachments ?? []).map((x) => cardText(x.content)).join(' ')).join(' || ');
}

const cards = (r: Rig) => r.replies.filter((a) => a.attachments?.length).map((a) => a.attachments![0].content);

async function play(r: Rig, turns: Turn[]): Promise<void> {
  for (const [i, t] of turns.entries()) {
    let activity: Partial<Activity> | string = t.say ?? '';
    if (t.click) {
      const all = cards(r);
      const card = all[all.length - 1 - (t.stale ?? 0)];
      activity = { type: 'message', value: { ...cardInputs(card), ...t.changes, ...cardAction(card, t.click) } };
    }
    const said = await turn(r, t.say === undefined && !t.click ? 'start' : activity);
    if (!t.expect.test(said)) throw new Error(`turn ${i + 1} (${t.say ?? t.click}): expected ${t.expect}, got: ${said.slice(0, 600)}`);
  }
}

const TO_PROJECT: Turn[] = [
  { say: 'set up account sync', expect: /Step 1 of 5.*Everything needed is in place/ },
  { click: 'Continue', expect: /Step 2 of 5/ },
  { click: 'Next', changes: { mode: 'new' }, expect: /Step 3 of 5/ },
];

describe('SetupDialog, turn by turn against the sandbox', () => {
  let r: Rig;
  afterEach(async () => { await r.sandbox.close(); });

  test.each<[string, Turn[], (r: Rig) => Promise<void> | void]>([
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
      const [, , bad] = cards(x).slice(-3) as Array<{ body: Array<{ type: string; text?: string; color?: string }> }>;
      const at = bad.body.findIndex((e) => e.type === 'ColumnSet');
      expect(bad.body[at + 1]).toMatchObject({ color: 'Attention', text: 'Enter a whole number from 1 to 1000.' });
    }],
    ['the step-5 card offers the units the schedule command takes (issue 12, item 19)', [
      ...TO_PROJECT,
      { click: 'Next', changes: { name: 'Accounts units', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ], (x) => {
      expect(cardChoices(cards(x).at(-1), 'unit')).toEqual([...RECURRENCE_UNITS]);
      expect(cardInputs(cards(x).at(-1)).every).toBe('5');
      expect(JSON.stringify(cards(x).at(-1))).toContain('"value":5');
    }],
    ['a first setup has no single-option radio group, and review after Back from a created project says Continue (item 20)', [
      { say: 'set up account sync', expect: /Step 1 of 5/ },
      { click: 'Continue', expect: /Step 2 of 5/ },
      { click: 'Next', expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts back again', consent: 'true' }, expect: /Step 4 of 5.*Check and create/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Back', expect: /Step 4 of 5/ },
    ], (x) => {
      expect(cardChoices(cards(x)[1], 'mode')).toEqual([]);
      const review = cardText(cards(x).at(-1));
      expect(review).not.toMatch(/Check and create|\| Create \|/);
      expect(review).toMatch(/Already created.*Continue/);
      expect(review).not.toMatch(/Common Data Service|Dataverse \(CDS\)/);
    }],
    ['changing the template changes the preview and the suggested name (item 3)', [
      ...TO_PROJECT,
      { click: 'Preview template', changes: { template: 'Contacts (Sales to CDS)' }, expect: /Preview of Contacts/ },
      { click: 'Next', changes: { consent: 'true' }, expect: /Step 4 of 5.*Contacts Sales to CDS/ },
    ], (x) => {
      expect(cardInputs(cards(x).at(-2)).name).toBe('Contacts Sales to CDS');
      expect(cardText(cards(x).at(-1))).not.toMatch(/Accounts/);
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
      const review = cardText(cards(x)[3]);
      expect(review).toMatch(/Dynamics 365 \| .* in Contoso Sales \(Dynamics 365\)/);
      expect(review).toMatch(/Template \| Accounts \(Sales to CDS\)/);
      expect(review).not.toMatch(/shared-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    }],
    ['a typed name is kept when the template changes', [
      ...TO_PROJECT,
      { click: 'Preview template', changes: { name: 'My own name', template: 'Contacts (Sales to CDS)' }, expect: /Preview of Contacts/ },
    ], (x) => { expect(cardInputs(cards(x).at(-1)).name).toBe('My own name'); }],
    ['cancel on a card says what was created', [
      ...TO_PROJECT,
      { click: 'Cancel', expect: /Setup cancelled. Nothing was created/ },
    ], () => undefined],
  ])('%s', async (_name, turns, check) => {
    r = await rig();
    await play(r, turns);
    await check(r);
  });

  test('a click shows typing at once; a validation error updates the clicked card in place; an answered card is frozen (items 7, 9)', async () => {
    r = await rig();
    const updates: Array<Partial<Activity>> = [];
    jest.spyOn((r.client as unknown as { _testAdapter: TestAdapter })._testAdapter, 'updateActivity').mockImplementation(async (_context, activity) => { updates.push(activity); });
    await play(r, [{ say: 'set up account sync', expect: /Step 1 of 5/ }]);
    const clickOn = async (title: string, changes: Record<string, string> = {}) => {
      const card = cards(r).at(-1);
      const before = r.replies.length;
      await turn(r, { type: 'message', replyToId: 'card-1', value: { ...cardInputs(card), ...changes, ...cardAction(card, title) } });
      return r.replies.slice(before);
    };
    const toStep2 = await clickOn('Continue');
    expect(toStep2[0].type).toBe('typing');
    expect(updates.at(-1)).toMatchObject({ id: 'card-1' });
    const frozen = updates.at(-1)!.attachments![0].content;
    expect(cardText(frozen)).toMatch(/Step 1 of 5: prerequisites \| Answered/);
    expect(frozen.actions).toBeUndefined();

    const invalid = await clickOn('Next', { mode: 'new', name: 'x' });
    expect(invalid.filter((a) => a.attachments?.length)).toEqual([]); // no copy of the card appended
    expect(cardText(updates.at(-1)!.attachments![0].content)).toMatch(/Step 2 of 5.*Use 3 to 64 characters/);
  });

  test('a tenant of today (no Dynamics 365 connector): a Dataverse connection in Sales is the Dynamics 365 side (item 25)', async () => {
    r = await rig({ legacyDynamicsConnector: false });
    await play(r, [
      { say: 'set up account sync', expect: /Everything needed is in place/ },
      { click: 'Continue', expect: /Step 2 of 5.*in Contoso Sales \(Dynamics 365\) \(Dataverse connector\)/ },
      { click: 'Next', expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts today', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
    ]);
    const [set] = await r.di.listConnectionSets();
    expect(set.dynamics).toMatchObject({ environmentName: SANDBOX_ENVIRONMENTS.sales.name, connectionName: expect.stringMatching(/^shared-commondataser/) });
  });

  test('the missing-connection path: steps to create it, and "Check again" finds it still missing', async () => {
    r = await rig({ withoutDynamicsConnectionIn: [SANDBOX_ENVIRONMENTS.sales.name] });
    await play(r, [
      { say: 'start', expect: /Some connections are missing.*Contoso Sales \(Dynamics 365\).*has no Dynamics 365 connection.*New connection.*choose \*\*Dataverse \(Legacy\)\*\*/ },
      { click: 'Check again', expect: /Some connections are missing/ },
    ]);
    expect(() => cardAction(cards(r).at(-1), 'Continue')).toThrow();
  });

  test('a service that is down gets "Try again", and nothing entered is lost', async () => {
    r = await rig();
    await play(r, TO_PROJECT);
    r.sandbox.faults.inject({ route: /Project/, status: 503, times: 1000 });
    await play(r, [{ click: 'Next', changes: { name: 'Down then up', consent: 'true' }, expect: /not answering.*Nothing you entered is lost/ }]);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 3 of 5/ }]);
    expect(cardInputs(cards(r).at(-1)).name).toBeTruthy();
  });

  test('a refusal by the service is shown next to the field it concerns, where it can be fixed', async () => {
    r = await rig();
    await play(r, [...TO_PROJECT, { click: 'Next', changes: { name: 'Taken meanwhile', consent: 'true' }, expect: /Step 4 of 5/ }]);
    await createSandboxProject(r.di, 'Taken meanwhile'); // someone else takes the name before "Create"
    await play(r, [{ click: 'Create', expect: /Step 3 of 5/ }]);
    const body = (cards(r).at(-1) as { body: Array<{ id?: string; text?: string; color?: string }> }).body;
    const nameAt = body.findIndex((e) => e.id === 'name');
    expect(body[nameAt + 1]).toMatchObject({ color: 'Attention', text: expect.stringMatching(/Taken meanwhile.*(exists|taken|already)/i) });
    await play(r, [{ click: 'Next', changes: { name: 'Free name', consent: 'true' }, expect: /Step 4 of 5/ }, { click: 'Create', expect: /Step 5 of 5/ }]);
    expect((await r.di.listConnectionSets()).filter((set) => set.name.startsWith('D365'))).toHaveLength(1);
  });

  test('a failure half-way (project refused) retries without a second connection set', async () => {
    r = await rig();
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
