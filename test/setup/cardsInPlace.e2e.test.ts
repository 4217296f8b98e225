import { message } from '../helpers/activities';
import { cardReading } from '../helpers/cardWalk';
import { Harness, startHarness } from '../helpers/harness';
import { clickActivity, newestCard } from '../helpers/setupWalk';

/** Each message's card as the channel shows it now (updates applied), in the order sent. */
function channelCards(h: Harness): Array<{ id: string; card: { actions?: unknown[] } }> {
  const cards = new Map<string, { actions?: unknown[] }>();
  for (const c of h.connector.messages()) {
    const card = c.activity.attachments?.[0]?.content as { actions?: unknown[] } | undefined;
    if (card && (c.kind !== 'update' || cards.has(c.activityId))) cards.set(c.activityId, card);
  }
  return [...cards].map(([id, card]) => ({ id, card }));
}
const withButtons = (h: Harness) => channelCards(h).filter((c) => Array.isArray(c.card.actions)).map((c) => c.id);

describe('over HTTP, the setup\'s older cards are updated in place through the connector (issue 12, item 7)', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('typing during a setup freezes the previous copy; a refused edit still sends the new card; a typed "cancel" freezes the last one', async () => {
    h = await startHarness();
    await h.post(message(h.serviceUrl, 'set up account sync'));
    await h.post(clickActivity(h.serviceUrl, newestCard(h), 'Continue'));
    const [step2] = withButtons(h);

    await h.post(message(h.serviceUrl, 'what is this?'));
    const [copy] = withButtons(h);
    expect(copy).not.toBe(step2);
    expect(h.connector.calls.filter((c) => c.kind === 'update' && c.activityId === step2)).toHaveLength(1);
    expect(cardReading(channelCards(h).find((c) => c.id === step2)!.card)).toBe('Step 2 of 5: connection set | Moved below: use the newest card.');

    h.connector.injectFault({ status: 403, code: 'Forbidden', kind: 'update' });
    await h.post(message(h.serviceUrl, 'still here?'));
    const live = withButtons(h);
    expect(live).toHaveLength(2); // the edit was refused: that copy stays as it was, and the new one is below it
    expect(live[0]).toBe(copy);
    expect(cardReading(newestCard(h))).toMatch(/^Step 2 of 5/);

    await h.post(message(h.serviceUrl, 'cancel'));
    expect(withButtons(h)).toEqual([copy]);
    expect(cardReading(channelCards(h).at(-1)!.card)).toBe('Step 2 of 5: connection set | Setup cancelled.');
  });
});
