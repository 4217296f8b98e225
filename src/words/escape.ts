import { echo, oneLine, shownAsTyped } from './sanitize';

/** How much of a name from outside a card repeats (the service's own names are shorter), so that no card grows past its size limit. */
export const CARD_PARAM_MAX = 200;
/** How much of a long outside text (a comment, a service's explanation) a card repeats. */
export const CARD_LONG_MAX = 500;
/** How much of a long outside text (a comment, a service's explanation) a plain-text reply repeats. */
export const REPLY_LONG_MAX = 500;

const WORD_JOINER = '\u2060';
/** The @ of a mail address ("ada@contoso.com"), which a client would link: shown as the look-alike ＠ (U+FF20). Bare domains stay as typed (see the hostile text test). */
const MAIL_LINK = /@(?=\w)/g;

/**
 * Outside text as a TextBlock or Fact shows it: on one line (no list, heading or code block can start),
 * cut to `max`, and read as typed (see shownAsTyped), with `<`, `&` entities, backticks, `://` and mail
 * addresses broken up (invisibly) so that no HTML, entity, code span or link is read.
 */
export function forCard(text: string, max = CARD_PARAM_MAX): string {
  return shownAsTyped(oneLine(text, max))
    .replace(/</g, `<${WORD_JOINER}`)
    .replace(/&(?=#?\w+;)/g, `&${WORD_JOINER}`)
    .replace(/`/g, '\u02cb')
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(MAIL_LINK, '\uff20');
}

/** Outside text as a plain-text reply repeats it (see echo): escaped, on one line, cut to `max`, no mail address a client would link. */
export function forReply(text: string, max?: number): string {
  return echo(text, max)
    .replace(/\$\{/g, '$\u200b{') // no template expansion in a card this text may land in later
    .replace(MAIL_LINK, '\uff20');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as an HTML page's element or attribute shows it: every character that could start markup or end a value is an entity. */
export function forHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
