/** How much of a person's own text a reply repeats; the rest is cut with "…". */
export const ECHO_MAX = 80;

// Teams renders a plain-text reply as Markdown with some HTML: these characters would format, link or tag.
// (Only the inline ones: echoed text is never at the start of a line, so "-", "#" or "1." cannot start a block.)
const MARKDOWN = /[\\`*_~[\]]/g;
const HTML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// C0/C1 controls, bidi overrides and zero-width characters: invisible, or they reorder the text around them.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A person's text, safe to repeat inside a plain-text reply: lone surrogates replaced, invisible
 * characters dropped, Markdown and HTML escaped, `{{` broken up (no template ever sees it), and cut
 * to `max` characters.
 */
export function echo(text: string, max = ECHO_MAX): string {
  return oneLine(text, max)
    .replace(/[<>&]/g, (c) => HTML[c])
    .replace(MARKDOWN, (c) => `\\${c}`)
    .replace(/\{\{/g, '{\u200b{') // no template expansion, here or in a card the text may land in later
    .replace(/:\/\//g, ':\u200b//'); // an echoed address is not turned into a link
}

/** Outside text on one line: lone surrogates replaced, invisible characters and bidi overrides dropped, spaces collapsed, cut to `max` with "…". */
export function oneLine(text: string, max: number): string {
  const clean = wellFormed(text).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  return wellFormed(clean.length > max ? `${clean.slice(0, max)}…` : clean); // a cut may split a pair
}

/** True when the text has no lone UTF-16 surrogate (String.prototype.isWellFormed is ES2024). */
export function isWellFormed(text: string): boolean {
  return text.search(LONE_SURROGATE) === -1;
}

/** The text with each lone surrogate replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** A name as the bot keeps it: Unicode NFC, spaces collapsed; lone surrogates are left for projectNameProblem to refuse. */
export function normalizeName(name: string): string {
  return (isWellFormed(name) ? name.normalize('NFC') : name).replace(/\s+/g, ' ').trim();
}

/** A name typed between quotes ("run "Account Sync""), straight or typographic: the name inside. */
const QUOTED = /^(?:"(.+)"|'(.+)'|\u201c(.+)[\u201d\u201c]|\u201e(.+)[\u201c\u201d]|\u00ab(.+)\u00bb|\u00bb(.+)\u00ab)$/u;

/** The name inside the quotes `typed` is between; undefined when it is not between quotes. */
export function insideQuotes(typed: string): string | undefined {
  return typed.trim().match(QUOTED)?.slice(1).find((inside) => inside !== undefined);
}

/** A name as the person meant it: the one inside its quotes, else as typed (a reply puts it in quotes of its own). */
export const nameAsMeant = (typed: string): string => insideQuotes(typed) ?? typed;

/** U+2060 WORD JOINER: invisible, neither space nor punctuation, so Markdown delimiters next to it lose their meaning. */
const WORD_JOINER = '\u2060';
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Text shown as typed in an Adaptive Card TextBlock or Fact in Teams. Teams reads a small Markdown
 * subset there ("Format cards in Microsoft Teams": **bold**, _italic_, "- " and "1. " lists,
 * [links](url)) and the {{DATE()}} / {{TIME()}} functions, and shows a backslash escape as a
 * backslash. So nothing is escaped with one: `*` becomes the look-alike ∗ (U+2217), which no Markdown
 * reads; an `_` at a word's edge, `](`, `{{`, `${`, a list marker at the start of a line and a
 * backslash before punctuation get an invisible word joiner, which breaks the syntax and shows nothing.
 */
export function shownAsTyped(text: string): string {
  return text
    .replace(/\*/g, '\u2217')
    .replace(/_/g, (u: string, i: number, s: string) => (LETTER_OR_DIGIT.test(s[i - 1] ?? '') && LETTER_OR_DIGIT.test(s[i + 1] ?? '') ? u : `${WORD_JOINER}_${WORD_JOINER}`))
    .replace(/\](?=\()/g, `]${WORD_JOINER}`)
    .replace(/([{$])(?=\{)/g, `$1${WORD_JOINER}`)
    .replace(/^(\s*)([-+>]|#{1,6}|\d+[.)])(?=\s|$)/gm, `$1${WORD_JOINER}$2`)
    .replace(/\\(?=[!-/:-@[-`{-~])/g, `\\${WORD_JOINER}`);
}

/**
 * The text at most `max` characters long, shortened in the middle ("meganb@co…rosoft.com"): both ends usually tell
 * values apart (a domain, an environment's "(Dynamics 365)"), which a cut at the end would lose.
 */
export function shortenMiddle(text: string, max: number): string {
  const chars = Array.from(text); // code points: a cut never splits a surrogate pair
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - 1 - head)).join('')}`;
}
