import { cardText } from '../../helpers/cardWalk';
import { Harness, startHarness } from '../../helpers/harness';
import { click, newestCard, walkToReview } from '../../helpers/setupWalk';

/**
 * A setup that ended with "Run now" is over; its Review card's "Create", clicked again (a double click, or Teams
 * delivering it late), creates nothing and must say what is true of it now.
 */
const textsOf = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

describe('a click on a setup that ended with "Run now"', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('"Create" again on its Review card says the project exists and its run started, not that the setup waits at step 5', async () => {
    h = await startHarness();
    const review = await walkToReview(h.serviceUrl, h.connector, (_step, activity) => h.post(activity), 'Ran already sync');
    await click(h, review, 'Create');
    const stepFive = newestCard(h);
    expect(cardText(stepFive)).toContain('Step 5 of 5');
    await click(h, stepFive, 'Run now');

    const before = textsOf(h).length;
    await click(h, review, 'Create');
    const said = textsOf(h).slice(before).join(' || ');
    expect(said).not.toMatch(/your setup is at step 5/);
    expect(said).toMatch(/"Ran already sync" exists/);
    expect(said).toMatch(/started a run/);
    expect(said).toMatch(/schedule Ran already sync every/);
  }, 60_000);
});
