import { MAX_NESTING, nestingDepth } from './nesting';
import { DOTTED, GUID, HEADER_LINE, isJsonHeader, isSecretName, replaceEmails, replacePairs, SCHEME } from './secretPatterns';

/** The kinds of value the sanitizer removes or replaces. */
export type RemovedKind = 'authorization' | 'cookie' | 'jwt' | 'secret' | 'email' | 'person' | 'guid';

const PERSON_KEY = /^(owner|createdBy|modifiedBy|lastModifiedBy|submittedBy|user|userPrincipalName|upn|givenName|surname|firstName|lastName|fullName|userName|email|mail)$/i;
const PERSON_FIELD = /^(displayName|name|fullName|givenName|surname|firstName|lastName|userPrincipalName|email|mail|userName)$/i;
const BASE64 = /^(?:data:[\w.+/-]*(?:;[\w.+/=-]*)*;base64,)?([A-Za-z0-9+/_-]{16,}={0,2})$/;
const PRINTABLE = /^[\P{C}\s]*$/u;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One value still to sanitize, and where its result goes. */
interface Pending { value: unknown; key: string; personal: boolean; put: (result: unknown) => void }

/** Sets an own property, even one named `__proto__` (a plain assignment would change the prototype). */
const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/**
 * Removes what must not leave an admin's capture: tokens, cookies, secrets (by name and by shape),
 * e-mail addresses and person names; GUIDs become numbered placeholders (still GUID-shaped, the same
 * GUID the same placeholder in one run) so shapes stay comparable. Counts what it removed.
 */
export class Sanitizer {
  readonly counts: Record<RemovedKind, number> = { authorization: 0, cookie: 0, jwt: 0, secret: 0, email: 0, person: 0, guid: 0 };
  private readonly guids = new Map<string, string>();
  private readonly placeholders = new Set<string>();

  /** Counts the headers of a call that are dropped (no header is ever written out). */
  dropHeaders(headers: Readonly<Record<string, string>>): void {
    if (headers.authorization) this.counts.authorization += 1;
    if (headers.cookie) this.counts.cookie += 1;
    if (headers['set-cookie']) this.counts.cookie += 1;
  }

  /** A string with tokens, secrets, e-mail addresses and GUIDs replaced; each rule is one linear pass. */
  text(value: string): string {
    let text = value;
    // Each rule runs only when the characters it needs are there: most strings skip most passes.
    if (text.includes('.')) text = text.replace(DOTTED, (run) => this.jwtIn(run));
    if (/\s/.test(text)) text = text.replace(SCHEME, (_, scheme: string) => `${scheme} ${this.count('authorization', '[removed]')}`);
    if (text.includes(':')) text = text.replace(HEADER_LINE, (_, name: string, sep: string) => `${name}${sep}${this.count(/cookie/i.test(name) ? 'cookie' : 'authorization', '[removed]')}`);
    if (/[=:%]/.test(text)) text = replacePairs(text, () => this.count('secret', '[removed]'));
    text = replaceEmails(text, () => this.count('email', 'person@example.invalid'));
    return text.includes('-') ? text.replace(GUID, (guid) => this.guid(guid)) : text;
  }

  /**
   * A JSON value with secret and person fields replaced and every string sanitized (JSON and base64
   * inside strings too). Walked with a stack of its own, so no depth of nesting overflows the call stack.
   */
  json(root: unknown): unknown {
    let result: unknown;
    const pending: Pending[] = [{ value: root, key: '', personal: false, put: (r) => { result = r; } }];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const { value, key, personal, put } = next;
      if (typeof value === 'string') put(this.field(key, value, personal));
      else if (Array.isArray(value)) {
        const copy: unknown[] = new Array<unknown>(value.length);
        put(copy);
        for (let i = value.length - 1; i >= 0; i -= 1) pending.push({ value: value[i], key, personal, put: (r) => { copy[i] = r; } });
      } else if (value && typeof value === 'object') {
        const copy: Record<string, unknown> = {};
        put(copy);
        const inner = personal || PERSON_KEY.test(key);
        const children = Object.entries(value).map(([k, v]): Pending => {
          const name = this.text(k);
          setOwn(copy, name, undefined); // keeps the order of the keys
          return { value: v, key: k, personal: inner, put: (r) => setOwn(copy, name, r) };
        });
        // Popped in document order, so placeholders are numbered in it (no spread: an object may have a million keys).
        for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]!);
      } else put(value);
    }
    return result;
  }

  /** How many values were removed, e.g. `7 values removed (authorization 2, email 1, …)`. */
  summary(): string {
    const parts = Object.entries(this.counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`);
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0);
    return `${total} values removed or replaced${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  private field(key: string, value: string, personal: boolean): string {
    if (value && isSecretName(key, value)) return this.count('secret', '[removed]');
    if (PERSON_KEY.test(key) || (personal && PERSON_FIELD.test(key))) return this.count('person', '[person]');
    return this.string(value);
  }

  /** A string value: JSON inside it is sanitized as JSON, base64 that decodes to text as that text. */
  private string(value: string): string {
    const trimmed = value.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      if (nestingDepth(trimmed) > MAX_NESTING) return this.count('secret', '[removed: nested too deep]');
      const parsed = parseJson(trimmed);
      if (parsed !== undefined) return JSON.stringify(this.json(parsed));
    }
    const encoded = BASE64.exec(value)?.[1];
    const decoded = encoded === undefined ? undefined : decodedText(encoded);
    if (decoded !== undefined && this.string(decoded) !== decoded) return this.count('secret', '[removed]');
    return this.text(value);
  }

  /** A dotted run with every JWT in it (from its JSON header on) replaced; the run as it was otherwise. */
  private jwtIn(run: string): string {
    const segments = run.split('.');
    const header = segments.findIndex((s, i) => i + 2 < segments.length && isJsonHeader(s));
    if (header < 0) return run;
    return [...segments.slice(0, header), this.count('jwt', '[jwt]')].join('.');
  }

  private count(kind: RemovedKind, replacement: string): string {
    this.counts[kind] += 1;
    return replacement;
  }

  private guid(guid: string): string {
    const key = guid.toLowerCase();
    if (this.placeholders.has(key)) return guid;
    let placeholder = this.guids.get(key);
    if (!placeholder) {
      placeholder = `00000000-0000-4000-8000-${String(this.guids.size + 1).padStart(12, '0')}`;
      this.guids.set(key, placeholder);
      this.placeholders.add(placeholder);
      this.counts.guid += 1;
    }
    return placeholder;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The text a base64 string encodes, or undefined when it encodes bytes that are not printable UTF-8 (an image). */
function decodedText(encoded: string): string | undefined {
  const alphabet = encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64';
  // A look at the first 3 KB first: a thumbnail is not decoded whole (its last character may be cut, so it is left out).
  const head = Buffer.from(encoded.slice(0, 4096), alphabet).toString('utf8').slice(0, -1);
  if (head.includes('\uFFFD') || !PRINTABLE.test(head)) return undefined;
  try {
    const text = utf8.decode(Buffer.from(encoded, alphabet));
    return PRINTABLE.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
