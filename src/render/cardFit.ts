import type { AdaptiveCardJson } from './cardRenderer';

/**
 * The most a card may weigh as UTF-8 JSON. Teams refuses a message over about 28 KB, and the card is wrapped in an
 * activity (or an invoke's answer) on the way, so it keeps 2 KB for that.
 */
export const CARD_BYTES_MAX = 26 * 1024;

/** What a card weighs as the UTF-8 JSON Teams receives. */
export const cardBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(card));

/**
 * The card of a list that shows as many of its `total` items as fit in CARD_BYTES_MAX, at least one: `render(count)` is
 * the card of the first `count` (which says how many are left out when `count < total`). A card grows with its count,
 * so the count is found by bisection: a dozen renders for hundreds of items.
 */
export function fittedCard(total: number, render: (count: number) => AdaptiveCardJson): AdaptiveCardJson {
  const all = render(total);
  if (total <= 1 || cardBytes(all) <= CARD_BYTES_MAX) return all;
  let fits = 1;
  let fitsNot = total;
  while (fitsNot - fits > 1) {
    const middle = Math.floor((fits + fitsNot) / 2);
    if (cardBytes(render(middle)) <= CARD_BYTES_MAX) fits = middle;
    else fitsNot = middle;
  }
  return render(fits);
}
