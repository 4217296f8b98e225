import { AlertOutbox, type DeliveryOutcome } from '../../src/notifications/alertDelivery';

/** An item whose delivery the test settles by hand. */
function item(key: string, conversationId: string, tried: string[], covers?: string[]) {
  let settle!: (o: DeliveryOutcome) => void;
  const answer = new Promise<DeliveryOutcome>((r) => { settle = r; });
  return { item: { key, conversationId, covers, deliver: () => { tried.push(key); return answer; } }, settle };
}

describe('the alert outbox through an outage (issue 28)', () => {
  test('a connector that is unavailable holds the rest of that conversation\'s queue; other conversations go on', async () => {
    const outbox = new AlertOutbox();
    const tried: string[] = [];
    const [a1, a2, b1] = [item('a1', '19:a', tried), item('a2', '19:a', tried), item('b1', '19:b', tried)];
    const sent = [a1, a2, b1].map((x) => outbox.enqueue(x.item)!);
    a1.settle('unavailable');
    b1.settle('sent');
    expect(await Promise.all(sent)).toEqual([false, false, true]);
    expect(tried).toEqual(['a1', 'b1']);
    // Once the queue has drained, the next poll's alerts are tried again, in order.
    const again = item('a1', '19:a', tried);
    const next = outbox.enqueue(again.item)!;
    again.settle('sent');
    expect(await next).toBe(true);
  });

  test('a message the connector refuses does not hold the ones behind it', async () => {
    const outbox = new AlertOutbox();
    const tried: string[] = [];
    const [a1, a2] = [item('a1', '19:a', tried), item('a2', '19:a', tried)];
    const sent = [a1, a2].map((x) => outbox.enqueue(x.item)!);
    a1.settle('failed');
    a2.settle('sent');
    expect(await Promise.all(sent)).toEqual([false, true]);
  });

  test("a digest's runs count as waiting while it waits, and as sent until the next poll starts", async () => {
    const outbox = new AlertOutbox();
    const digest = item('19:a|p|digest|r1,r2', '19:a', [], ['19:a|p|r1', '19:a|p|r2']);
    const sent = outbox.enqueue(digest.item)!;
    expect(outbox.keys.has('19:a|p|r2')).toBe(true);
    digest.settle('sent');
    await sent;
    expect(outbox.keys.has('19:a|p|r1')).toBe(true);
    outbox.pollStarted();
    expect(outbox.keys.has('19:a|p|r1')).toBe(false);
  });
});
