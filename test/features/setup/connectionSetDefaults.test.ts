import { cardInputs } from '../../helpers/cardWalk';
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
