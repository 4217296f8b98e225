/** The kinds of value the sanitizer removes or replaces. */
export type RemovedKind = 'authorization' | 'cookie' | 'jwt' | 'secret' | 'email' | 'person' | 'guid';

const JWT = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SECRET_PARAM = /\b(client_secret|code|access_token|refresh_token|id_token|password|client_assertion)=([^&\s"']+)/gi;
const BEARER = /\bBearer\s+[^\s"']+/gi;
const SECRET_KEY = /^(client_secret|code|access_token|refresh_token|id_token|password|authorization|cookie|set-cookie|token|client_assertion)$/i;
const PERSON_KEY = /^(owner|createdBy|modifiedBy|lastModifiedBy|submittedBy|user|userPrincipalName|upn|givenName|surname|firstName|lastName|fullName|userName|email|mail)$/i;
const PERSON_FIELD = /^(displayName|name|fullName|givenName|surname|firstName|lastName|userPrincipalName|email|mail|userName)$/i;

/**
 * Removes what must not leave an admin's capture: tokens, cookies, secrets, e-mail addresses and person
 * names; GUIDs become numbered placeholders (still GUID-shaped, the same GUID the same placeholder in
 * one run) so shapes stay comparable. Counts what it removed.
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

  /** A string with tokens, secrets, e-mail addresses and GUIDs replaced. */
  text(value: string): string {
    return value
      .replace(JWT, () => this.count('jwt', '[jwt]'))
      .replace(BEARER, () => this.count('authorization', 'Bearer [removed]'))
      .replace(SECRET_PARAM, (_, key: string) => `${key}=${this.count('secret', '[removed]')}`)
      .replace(EMAIL, () => this.count('email', 'person@example.invalid'))
      .replace(GUID, (guid) => this.guid(guid));
  }

  /** A JSON value with secrets and person fields replaced, and every string sanitized. */
  json(value: unknown, key = '', personal = false): unknown {
    if (typeof value === 'string') {
      // An error body's `code` ("NotFound") is no secret; an OAuth code is long.
      if (SECRET_KEY.test(key) && !(key.toLowerCase() === 'code' && value.length < 24)) return this.count('secret', '[removed]');
      if (PERSON_KEY.test(key) || (personal && PERSON_FIELD.test(key))) return this.count('person', '[person]');
      return this.text(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.json(v, key, personal));
    if (value && typeof value === 'object') {
      const inner = personal || PERSON_KEY.test(key);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.json(v, k, inner)]));
    }
    return value;
  }

  /** How many values were removed, e.g. `7 values removed (authorization 2, email 1, …)`. */
  summary(): string {
    const parts = Object.entries(this.counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`);
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0);
    return `${total} values removed or replaced${parts.length ? ` (${parts.join(', ')})` : ''}`;
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
