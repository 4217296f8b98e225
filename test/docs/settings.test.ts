import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ROOT } from '../helpers/build';
import { configSchema } from '../../src/config';
import { packageEnvSchema } from '../../scripts/appPackage/packageEnv';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The rows of the "Settings" table of docs/operations.md, where an operator looks a key up: key -> its default cell. */
function settingsTable(): Map<string, string> {
  const section = read('docs/operations.md').split(/^## /m).find((s) => s.startsWith('Settings\n')) ?? '';
  return new Map([...section.matchAll(/^\| `([A-Za-z_]+)` \| ([^|]*) \|/gm)].map((m) => [m[1], m[2].trim()]));
}

/** The keys `.env.sample` sets, with the value it writes. */
const sample = new Map([...read('.env.sample').matchAll(/^([A-Za-z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));

/** What a key is when it is not set, as the schema that reads it says (undefined: no default). */
function defaultOf(schema: z.ZodType): unknown {
  const parsed = schema.safeParse(undefined);
  const value = parsed.success ? parsed.data : undefined;
  return Array.isArray(value) && value.length === 0 ? undefined : value;
}

/** Every key a schema reads, with its default: the bot's own (src/config.ts), then the app package's. */
const schemaKeys: Array<[key: string, fallback: unknown]> = [
  ...Object.entries(configSchema.shape).map(([key, schema]): [string, unknown] => [key, defaultOf(schema as z.ZodType)]),
  ...Object.entries(packageEnvSchema.shape)
    .filter(([key]) => !(key in configSchema.shape))
    .map(([key, schema]): [string, unknown] => [key, defaultOf(schema as z.ZodType)]),
];

/** How the table writes a default: `value` first, or "none" where the key has none (the rest of the cell says what then). */
const shown = (fallback: unknown) => (fallback === undefined ? 'none' : `\`${String(fallback)}\``);

describe('every setting is documented where an operator looks, with the default the code has', () => {
  test.each(schemaKeys)('docs/operations.md, "Settings": %s, default %p', (key, fallback) => {
    const cell = settingsTable().get(key);
    expect({ key, documented: cell !== undefined }).toEqual({ key, documented: true });
    expect(cell!.slice(0, shown(fallback).length)).toBe(shown(fallback));
  });

  test('every key of .env.sample is in the table, and the table names no key that nothing reads', () => {
    const table = [...settingsTable().keys()];
    expect([...sample.keys()].filter((key) => !table.includes(key))).toEqual([]);
    expect(table.filter((key) => !sample.has(key) && !schemaKeys.some(([k]) => k === key))).toEqual([]);
  });

  test('.env.sample lists every key of src/config.ts, and a value it writes for a key with a default is that default', () => {
    const bot = schemaKeys.filter(([key]) => key in configSchema.shape);
    expect(bot.filter(([key]) => !sample.has(key)).map(([key]) => key)).toEqual([]);
    const differing = schemaKeys
      .filter(([key, fallback]) => fallback !== undefined && sample.get(key) && sample.get(key) !== String(fallback))
      .map(([key, fallback]) => `${key}: .env.sample ${sample.get(key)}, code ${String(fallback)}`);
    expect(differing).toEqual([]);
  });
});
