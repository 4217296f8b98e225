import type { z } from 'zod';

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : value === undefined ? 'nothing' : typeof value;

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined), root);

/** `a.b[0].c` from a zod issue path. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || '(body)';

/**
 * One line per failing field, e.g. `projectExecutionResponses[0].upsertCount: expected number, got string`.
 * Never quotes a value of the capture: only our schema's expectations and the kind of what came.
 */
export function fieldProblems(schema: z.ZodType, body: unknown, max = 8): string[] {
  const parsed = schema.safeParse(body);
  if (parsed.success) return [];
  const lines = parsed.error.issues.map((issue) => {
    const where = fieldPath(issue.path);
    if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${kindOf(valueAt(body, issue.path))}`;
    if (issue.code === 'invalid_value' || issue.code === 'invalid_format') return `${where}: ${issue.code === 'invalid_format' ? `not a valid ${issue.format}` : 'not one of the known values'}`;
    if (issue.code === 'unrecognized_keys') return `${where}: unexpected fields`;
    return `${where}: ${issue.message}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > max ? [...unique.slice(0, max), `… and ${unique.length - max} more`] : unique;
}
