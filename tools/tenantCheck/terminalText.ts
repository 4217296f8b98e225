/** Control characters, and the bidirectional and line-separator marks a terminal acts on or hides text with. */
const CONTROL = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text safe to print: every control character written as `\u001b` (valid in JSON strings too), except
 * those in `keep` (the newlines of our own layout). Node's stripVTControlCharacters removes only
 * well-formed escape sequences and leaves a lone ESC, CR or BEL, so every character is escaped here.
 */
export const escapeControls = (text: string, keep = ''): string =>
  text.replace(CONTROL, (c) => (keep.includes(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
