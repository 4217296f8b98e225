import { ADA, BOB, message, submit } from '../helpers/activities';
import { cardAction, cardChoices, cardInputs, cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { Harness, startHarness, tempDataDir } from '../helpers/harness';
import { isUpdateBeyondSetup } from '../helpers/setupWalk';
import { SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';

const cards = (h: Harness) =>
  h.connector.messages().flatMap((c) => (c.activity.attachments ?? []).map((a) => ({ call: c, card: a.content as Record<string, unknown> })));
const lastCard = (h: Harness) => {
  const all = cards(h);
  if (all.length === 0) throw new Error('no card was sent');
  return all[all.length - 1].card;
};
const texts = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

/** Clicks a button of the last card, sending its inputs changed by `changes`, as Teams does. */
function click(h: Harness, title: string, changes: Record<string, string> = {}, who = ADA) {
  return clickOn(h, lastCard(h), title, changes, who);
}

/** Clicks a button of a given card. */
async function clickOn(h: Harness, card: unknown, title: string, changes: Record<string, string> = {}, who = ADA) {
  const res = await h.post(submit(h.serviceUrl, { ...cardInputs(card), ...changes, ...cardAction(card, title) }, 'channel', who));
  expect(res.status).toBe(200);
  return lastCard(h);
}

describe('guided setup over HTTP, from "set up account sync" to a completed first run', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('a person sets up account sync in a channel and the first run moves the accounts', async () => {
    h = await startHarness();
    await h.post(message(h.serviceUrl, 'set up account sync'));
    const prereq = lastCard(h);
    expect(cardText(prereq)).toContain('Everything needed is in place');

    const setCard = await click(h, 'Continue');
    expect(cardText(setCard)).toContain('Step 2 of 5');
    const suggested = cardInputs(setCard).name;
    expect(suggested).toMatch(/^D365\w*Accsto\w*Accs$/);

    const projectCard = await click(h, 'Next', { mode: 'new' });
    expect(cardText(projectCard)).toContain('Step 3 of 5');
    expect(cardInputs(projectCard).template).toBeTruthy();
    expect(cardText(projectCard)).toMatch(/account/i); // the template preview

    const refused = await click(h, 'Next'); // consent left off
    expect(cardText(refused)).toContain('cannot be created without your consent');

    const review = await click(h, 'Next', { name: 'Contoso account sync', consent: 'true' });
    expect(cardText(review)).toContain('Contoso account sync');
    expect(cardText(review)).toContain(suggested);

    const runCardBefore = await click(h, 'Create');
    expect(cardText(runCardBefore)).toContain('Step 5 of 5');

    await click(h, 'Run now');
    const update = await h.connector.waitFor(isUpdateBeyondSetup, 20_000);
    const result = update.activity.attachments![0].content;
    expect(cardText(result)).toMatch(/Contoso account sync (succeeded|finished with errors)/);
    const upserts = Number(/Upserts \| (\d+)/.exec(cardText(result))![1]);
    expect(upserts).toBeGreaterThan(1000);

    for (const { card } of cards(h)) expect(cardProblems(card)).toEqual([]);

    expect(h.app.sandbox!.destinationRows(SANDBOX_ENVIRONMENTS.cds.name, 'account')).toHaveLength(upserts);
    const di = createDataIntegration({ baseUrls: h.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
    const project = await di.getProject('Contoso account sync');
    expect(project).toMatchObject({ connectionSetName: suggested, templateName: expect.stringMatching(/account/i) });
    expect(project.organizationMapping).toEqual({ dynamicsOrganization: 'contososales', dataverseOrganizationId: SANDBOX_ENVIRONMENTS.cds.dataverse.organizationId });
    const set = await di.getConnectionSet(suggested);
    expect(set.dynamics.environmentName).toBe(SANDBOX_ENVIRONMENTS.sales.name);
    expect(set.dataverse.environmentName).toBe(SANDBOX_ENVIRONMENTS.cds.name);
  }, 60_000);

  test('back, cancel, invalid input and stale or foreign cards change nothing', async () => {
    h = await startHarness();
    await h.post(message(h.serviceUrl, 'set up account sync'));
    const first = lastCard(h);
    await click(h, 'Continue');
    const back = await click(h, 'Back');
    expect(cardText(back)).toContain('Step 1 of 5');
    await click(h, 'Continue');

    const invalid = await click(h, 'Next', { mode: 'new', name: '${evil} **bold**' });
    expect(cardText(invalid)).toContain('Use 3 to 64 characters');
    expect(cardInputs(invalid).name).toBe('${evil} **bold**'); // kept, shown literally

    // A stale card (step 1's Continue, already answered) changes nothing.
    await h.post(submit(h.serviceUrl, { ...cardAction(first, 'Continue') }));
    expect(texts(h).pop()).toContain('earlier step');
    // Bob clicks Ada's card: refused, and Ada's flow does not move.
    await h.post(submit(h.serviceUrl, { ...cardInputs(invalid), ...cardAction(invalid, 'Next'), mode: 'new', name: 'BobsSet' }, 'channel', BOB));
    expect(texts(h).pop()).toContain('not part of a setup of yours');
    // Tampered data: parsed and refused.
    await h.post(submit(h.serviceUrl, { verb: 'setup', flowId: 'x'.repeat(500), step: 'nowhere', action: 'drop tables' }));
    expect(texts(h).pop()).toContain('not from your current setup');

    await h.post(message(h.serviceUrl, 'cancel'));
    expect(texts(h).pop()).toBe('Setup cancelled. Nothing was created.');
    await h.post(message(h.serviceUrl, 'cancel'));
    expect(texts(h).pop()).toContain('no setup in progress');
  }, 60_000);

  test('two people setting up in the same channel each have their own flow', async () => {
    h = await startHarness();
    await h.post(message(h.serviceUrl, 'help'));
    await click(h, 'Set up account sync'); // the welcome card's button starts Ada's flow
    const adaStep2 = await click(h, 'Continue');
    await h.post(message(h.serviceUrl, 'set up account sync', 'channel', BOB));
    const bobStep1 = lastCard(h);
    expect(cardText(bobStep1)).toContain('Step 1 of 5');

    const bobStep2 = await clickOn(h, bobStep1, 'Continue', {}, BOB);
    expect(cardText(await clickOn(h, adaStep2, 'Next', { mode: 'new' }, ADA))).toContain('Step 3 of 5');
    expect(cardText(await clickOn(h, bobStep2, 'Back', {}, BOB))).toContain('Step 1 of 5');
    await h.post(message(h.serviceUrl, 'where was I', 'channel', ADA));
    expect(texts(h).pop()).toContain('waiting at step 3 of 5');
  }, 60_000);

  test('a restart in the middle of the flow continues where it was', async () => {
    const dataDir = tempDataDir();
    h = await startHarness({}, dataDir);
    await h.post(message(h.serviceUrl, 'set up account sync'));
    const setCard = await click(h, 'Continue');
    await h.close();

    h = await startHarness({}, dataDir);
    // The card from before the restart still works.
    await h.post(submit(h.serviceUrl, { ...cardInputs(setCard), ...cardAction(setCard, 'Next'), mode: 'new' }));
    expect(cardText(lastCard(h))).toContain('Step 3 of 5');
  }, 60_000);

  test('a tenant without a Dynamics 365 connection gets the steps to create one and "Check again"', async () => {
    h = await startHarness({}, tempDataDir(), { sandbox: { seed: { withoutDynamicsConnectionIn: [SANDBOX_ENVIRONMENTS.sales.name] } } });
    await h.post(message(h.serviceUrl, 'set up account sync'));
    const card = lastCard(h);
    expect(cardText(card)).toContain('has no Dynamics 365 connection');
    expect(JSON.stringify(card)).toContain('make.powerapps.com/environments/');
    expect(() => cardAction(card, 'Continue')).toThrow();
    expect(cardAction(card, 'Check again')).toMatchObject({ action: 'refresh' });
    expect(cardChoices(card, 'mode')).toEqual([]);
  }, 60_000);
});
