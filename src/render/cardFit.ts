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
 * the card of the first `count` (which says how many are left out when `count < total`).
 */
export function fittedCard(total: number, render: (count: number) => AdaptiveCardJson): AdaptiveCardJson {
  return render(fittedCount(total, render));
}

/**
 * How many of `total` items `render(count)` can show within `max` bytes, at least one. A card grows with its count, so
 * the count is found by bisection: a dozen renders for hundreds of items. A card of two lists gives one of them a
 * share of the card this way, then fits the other in what is left.
 */
export function fittedCount(total: number, render: (count: number) => AdaptiveCardJson, max = CARD_BYTES_MAX): number {
  if (total <= 1 || cardBytes(render(total)) <= max) return total;
  let fits = 1;
  let fitsNot = total;
  while (fitsNot - fits > 1) {
    const middle = Math.floor((fits + fitsNot) / 2);
    if (cardBytes(render(middle)) <= max) fits = middle;
    else fitsNot = middle;
  }
  return fits;
}
