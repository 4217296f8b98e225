import fc from 'fast-check';
import type { DataIntegration } from '../../src/integration/port';

/** The generic apology of the adapter's onTurnError: a fuzz case must never get it. */
export const GENERIC_ERROR = /something went wrong/i;

const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d');
const control = fc.constantFrom('\u0000', '\u0007', '\b', '\u001b', '\u007f', '\u202e', '\u200b', '\ufeff', '\r\n');
const injection = fc.constantFrom('{{DATE(2020-01-01T00:00:00Z)}}', '${name}', '[x](https://evil.example)', '<img src=x onerror=alert(1)>', '**b**', '\\', '"', '%', '../', '|');

/** Text as a hostile or careless client sends it: any code point, lone surrogates, controls, injections, and now and then 100 KB. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), loneSurrogate, control, injection), { maxLength: 8 }).map((p) => p.join('')), weight: 8 },
  { arbitrary: fc.string({ maxLength: 300 }), weight: 2 },
  { arbitrary: fc.constantFrom('x'.repeat(100_000), '\ud800'.repeat(50_000), 'Ab '.repeat(34_000)), weight: 1 },
);

/** Any JSON value, with hostile strings at every level. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.constantFrom(true, false, 'yes', 'true', 'false', 0, -1, 1e308, null, [], {}), weight: 2 },
  { arbitrary: fc.array(hostileString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }), weight: 1 },
);

/** How many cases each property runs. */
export const FUZZ_RUNS = 2000;

/**
 * The sandbox client with its reads memoised until the next write: a fuzz case then costs no HTTP
 * round trip, and writes still reach the sandbox. Refusals (errors) are not memoised.
 */
export function memoisedReads(di: DataIntegration): DataIntegration {
  const cache = new Map<string, Promise<unknown>>();
  return new Proxy(di, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!/^(list|get)/.test(String(prop))) {
        return (...args: unknown[]) => { cache.clear(); return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args); };
      }
      return (...args: unknown[]) => {
        const key = `${String(prop)}:${JSON.stringify(args)}`;
        if (!cache.has(key)) cache.set(key, (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((err) => { cache.delete(key); throw err; }));
        return cache.get(key);
      };
    },
  });
}
