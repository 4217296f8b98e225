/** Keys whose values never reach a log line: at the top of a logged object or one level down (`{ auth: { token } }`). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'token', 'accessToken', 'password', 'secret', 'clientSecret', 'authorization', 'MicrosoftAppPassword', 'userToken', 'assertion',
]);

/** What a secret's value is replaced with. */
export const CENSOR = '[redacted]';

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** A copy of `value` (an Error stays an Error, with its message and stack) whose `key` is `replacement`. */
function withKey(value: object, key: string, replacement: unknown): object {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null, Object.getOwnPropertyDescriptors(value)) as object;
  return Object.defineProperty(copy, key, { value: replacement, enumerable: true, writable: true, configurable: true });
}

/** `value` with its own secret keys, and its `headers.authorization`, censored; the same object when it has none. */
function redactedChild(value: object): object {
  let result = value;
  for (const key of SECRET_KEYS) if (has(value, key)) result = withKey(result, key, CENSOR);
  const headers = (value as { headers?: unknown }).headers;
  if (has(value, 'headers') && headers && typeof headers === 'object' && has(headers, 'authorization')) {
    result = withKey(result, 'headers', withKey(headers, 'authorization', CENSOR));
  }
  return result;
}

/**
 * A log object with every secret censored (see SECRET_KEYS), leaving the caller's object untouched; the same
 * object when there is nothing to hide, which is nearly always. The pino logger runs it on every line and on
 * a child's bindings: a check per key, where pino's own wildcard redaction cloned and walked each value.
 */
export function redactSecrets<T extends object>(obj: T): T {
  let result: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key];
    let redacted = value;
    if (SECRET_KEYS.has(key)) redacted = CENSOR;
    else if (value !== null && typeof value === 'object') redacted = redactedChild(value);
    if (redacted !== value) (result ??= { ...obj } as Record<string, unknown>)[key] = redacted;
  }
  return (result ?? obj) as T;
}
