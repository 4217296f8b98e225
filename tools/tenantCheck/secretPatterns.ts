/**
 * The shapes of secrets in free text, each found in one linear pass: a pattern that reads a run of
 * characters starts only where the run starts (a lookbehind), no quantifier is nested in another over
 * the same characters, and e-mails are read outward from each `@`; so a long run without a match is read
 * a bounded number of times, never once per start.
 */

/** A name (JSON key, header, query, form or cookie parameter) whose value is a secret. */
export const SECRET_NAME = /token|secret|passw|pwd|key|sig|code|assertion|credential|auth|cookie|session/i;

/** Names our own wire schemas use for lists of column names: they contain `key` but hold no secret. */
const WIRE_NAMES = /^(integrationKeyFields|integrationKeys?|needsIntegrationKey|keys)$/i;

/** A service's error code (`ScheduledProjectLimitReached`) under a `code` name is no secret; an OAuth code has dots (`0.AXoA…`, `M.C5…`) and is long. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

/** Whether values under this name are secrets (but for a service's error code). */
const isSecretKey = (name: string): boolean => SECRET_NAME.test(name) && !WIRE_NAMES.test(name);

/** Whether the value under this name must be removed. */
export const isSecretName = (name: string, value: string): boolean => isSecretKey(name) && !(/code$/i.test(name) && ERROR_CODE.test(value));

/** Dotted runs of base64url segments: a JWT (or JWE) when one segment is a JSON object header. */
export const DOTTED = /(?<![\w.-])[\w-]+(?:\.[\w-]*){2,}/g;

/** Authorization schemes followed by their credentials. */
export const SCHEME = /\b(Bearer|SharedAccessSignature|SharedKey)\s+[^\s"',;]+/gi;

/** A header line whose whole value is a secret, in text (an error message quoting a request). */
export const HEADER_LINE = /(?<![\w-])((?:proxy-)?authorization|(?:set-)?cookie)([ \t]*:[ \t]*)[^\r\n"]*/gi;

/**
 * The start of a pair: `name=`, `name%3D`, `"name": `, `\"name\":`, `%22name%22%3A` and header-style
 * `x-api-key: `. Groups: 1 name, 2 quote after the name, 3 separator.
 */
const PAIR_START = /(?<![\w.$-])([\w.$-]+)(\\*["']|%22)?[ \t]*(=|%3[dD]|:|%3[aA])[ \t]*/g;

/** A pair's value from its start: double-, single- or %22-quoted (group 2, 4 or 6 is the value), or bare (group 7). */
const PAIR_VALUE = /(\\*")((?:[^"\\]|\\.)*)|(\\*')((?:[^'\\]|\\.)*)|(%22)((?:[^%]|%(?!22))*)|([^\s"'&;,<>{}[\]\\]*)/y;

/**
 * Replaces the value of every pair whose name is a secret's. A pair with any other name is read on from
 * its value's start, so a secret inside that value (`redirect=https://…?sig=…`) is still found; only a
 * secret's value is read to its end, and the scan goes on after it (or after at most 48 characters of a
 * kept error code), so each character is read a bounded number of times.
 */
export function replacePairs(text: string, replacement: () => string): string {
  const starts = new RegExp(PAIR_START);
  const values = new RegExp(PAIR_VALUE);
  let out = '';
  let copied = 0;
  for (let start = starts.exec(text); start; start = starts.exec(text)) {
    const [, name, quote, sep] = start as unknown as [string, string, string | undefined, string];
    // Outside quotes, `name: value` is prose ("integrationKeyFields: expected array") unless it is a header.
    if (!isSecretKey(name) || (/^(:|%3a)$/i.test(sep) && !quote && !name.includes('-'))) continue;
    values.lastIndex = starts.lastIndex;
    const found = values.exec(text)!;
    const value = found[2] ?? found[4] ?? found[6] ?? found[7] ?? '';
    if (!value || !isSecretName(name, value)) continue;
    const valueStart = values.lastIndex - value.length;
    out += text.slice(copied, valueStart) + replacement();
    copied = starts.lastIndex = values.lastIndex;
  }
  return out + text.slice(copied);
}

/** GUIDs, in any case. */
export const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An `@` in any encoding a capture shows: plain, percent (once or twice), JSON/JS escapes, HTML entities, full width. */
const AT = /@|%(?:25)?40|\\u0040|\\x40|&#0*64;|&#x0*40;|\uFF20|\uFE6B/giu;

const asciiTable = (allowed: RegExp) => Uint8Array.from({ length: 128 }, (_, c) => (allowed.test(String.fromCharCode(c)) ? 1 : 0));
const LOCAL_ASCII = asciiTable(/[\w.%+'-]/);
const DOMAIN_ASCII = asciiTable(/[A-Za-z0-9%-]/);
/** Letters, digits and marks of any script (IDN); a surrogate counts as a letter. */
const isLetter = (c: number) => (c >= 0xd800 && c <= 0xdfff) || /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(c));
const isLocal = (c: number) => (c < 128 ? LOCAL_ASCII[c] === 1 : isLetter(c));
const isDomain = (c: number) => (c < 128 ? DOMAIN_ASCII[c] === 1 : isLetter(c));

/**
 * Replaces each e-mail address (IDN domains, any encoding of the `@`). Each marker's local part is read
 * leftwards no further than the previous marker (or replacement), its domain rightwards no further than
 * the next marker: every character is read at most twice, however many markers the text holds.
 */
export function replaceEmails(text: string, replacement: () => string): string {
  const markers = new RegExp(AT);
  let out = '';
  let copied = 0;
  let previousEnd = 0;
  for (let mark = markers.exec(text); mark; ) {
    const at = mark.index;
    const after = at + mark[0].length;
    const next = markers.exec(text);
    const ceiling = next?.index ?? text.length;
    let start = at;
    while (start > previousEnd && isLocal(text.charCodeAt(start - 1))) start -= 1;
    previousEnd = after;
    let end = after;
    let dots = 0;
    while (end < ceiling) {
      const c = text.charCodeAt(end);
      if (c === 46 /* . */) {
        if (end === after || text.charCodeAt(end - 1) === 46) break;
        dots += 1;
      } else if (!isDomain(c)) break;
      end += 1;
    }
    while (end > after && (text[end - 1] === '.' || text[end - 1] === '-')) {
      if (text[end - 1] === '.') dots -= 1;
      end -= 1;
    }
    if (start < at && dots > 0) {
      out += text.slice(copied, start) + replacement();
      copied = previousEnd = end;
    }
    mark = next; // a domain ends before the next marker, so it is never inside a replacement
  }
  return out + text.slice(copied);
}

/** Whether a base64url segment starts a JSON object once decoded (a JWT header, with or without `eyJ`). */
export function isJsonHeader(segment: string): boolean {
  if (segment.length < 3) return false;
  const head = Buffer.from(segment.slice(0, 24), 'base64url').toString('latin1');
  return /^\s*\{\s*["}]/.test(head);
}
