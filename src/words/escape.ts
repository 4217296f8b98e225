import { echo, shownAsTyped, wellFormed } from '../text/sanitize';

/** How much of a name from outside a card repeats (the service's own names are shorter), so that no card grows past its size limit. */
export const CARD_PARAM_MAX = 200;
/** How much of a long outside text (a comment, a service's explanation) a card repeats. */
export const CARD_LONG_MAX = 500;
/** How much of a long outside text (a comment, a service's explanation) a plain-text reply repeats. */
export const REPLY_LONG_MAX = 500;

// Invisible characters and bidi overrides would reorder or hide the sentence around the text.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const WORD_JOINER = '\u2060';

/**
 * Outside text as a TextBlock or Fact shows it: on one line (no list, heading or code block can start),
 * cut to `max`, and read as typed (see shownAsTyped), with `<`, `&` entities, backticks and `://`
 * broken up so that no HTML, entity, code span or link is read.
 */
export function forCard(text: string, max = CARD_PARAM_MAX): string {
  const line = wellFormed(text).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const cut = wellFormed(line.length > max ? `${line.slice(0, max)}…` : line);
  return shownAsTyped(cut)
    .replace(/</g, `<${WORD_JOINER}`)
    .replace(/&(?=#?\w+;)/g, `&${WORD_JOINER}`)
    .replace(/`/g, '\u02cb')
    .replace(/:\/\//g, `:${WORD_JOINER}//`);
}

/** Outside text as a plain-text reply repeats it (see echo): escaped, on one line, cut to `max`. */
export function forReply(text: string, max?: number): string {
  return echo(text, max).replace(/\$\{/g, '$\u200b{'); // no template expansion in a card this text may land in later
}
