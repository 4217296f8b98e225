import { cardInputs } from '../../helpers/cardWalk';
import { forms } from '../../helpers/setupDialogRig';
import { conversationCards, play, SetupDialogRig, setupDialogRig, Turn } from '../../helpers/setupDialogRig';

/** The input values of the newest card that still has buttons. */
const liveInputs = (r: SetupDialogRig) => cardInputs(conversationCards(r).filter((c) => !c.frozen).at(-1)!.card);

const TO_STEP_TWO: Turn[] = [
  { say: 'set up account sync', expect: /Step 1 of 5/ },
  { click: 'Continue', expect: /Step 2 of 5/ },
];

describe('the connection-set step reuses what already joins the two environments (issue 32, item 3)', () => {
  let r: SetupDialogRig;
  afterEach(async () => { await r.sandbox.close(); });

  test('a second setup clicked through with the defaults reuses the first one\'s set; a new one is named on purpose, never "…2"', async () => {
    r = await setupDialogRig();
    await play(r, TO_STEP_TWO);
    const first = liveInputs(r);
    expect(first.name).toBe('D365SalesAccstoCDSAccs');
    await play(r, [
      { click: 'Next', changes: { mode: 'new' }, expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts one', consent: 'true' }, expect: /Step 4 of 5/ },
      { click: 'Create', expect: /Step 5 of 5/ },
      { click: 'Done for now', expect: /./ },
      ...TO_STEP_TWO,
    ]);

    const second = liveInputs(r);
    expect(second.mode).toBe('existing:D365SalesAccstoCDSAccs');
    expect(second.name).toBe('');
    // Creating another beside it is the deliberate choice: with no name typed, the person is asked for one.
    await play(r, [{ click: 'Next', changes: { mode: 'new' }, expect: /Step 2 of 5.*Use 3 to 64 characters/ }]);
    await play(r, [
      { click: 'Next', changes: { mode: 'existing:D365SalesAccstoCDSAccs' }, expect: /Step 3 of 5/ },
      { click: 'Next', changes: { name: 'Accounts two', consent: 'true' }, expect: /Step 4 of 5.*D365SalesAccstoCDSAccs/ },
    ]);
  });
});

describe('connection choices fit the card and lead with what tells them apart (issue 32, item 5)', () => {
  let r: SetupDialogRig;
  afterEach(async () => { await r.sandbox.close(); });

  test('the environment comes first, whole; a long account is shortened in the middle, keeping its domain', async () => {
    r = await setupDialogRig();
    await play(r, TO_STEP_TWO);
    const titles: string[] = [];
    JSON.stringify(forms(r).at(-1), (_key, value: unknown) => {
      if (value && typeof value === 'object' && (value as { id?: unknown }).id === 'dynamics') {
        titles.push(...((value as { choices: Array<{ title: string }> }).choices.map((c) => c.title)));
      }
      return value;
    });
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) {
      expect(title).toMatch(/^Contoso [^:]+: \S+/);
      expect(Array.from(title.replace(/ \(Dataverse connector\)$/, '')).length).toBeLessThanOrEqual(56);
    }
    expect(titles).toContainEqual(expect.stringMatching(/^Contoso Sales \(Dynamics 365\): meganb[@＠]\S*…\S*soft\.com$/));
  });
});
