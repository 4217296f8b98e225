import type { TemplateValues } from './packageEnv';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export interface Filled {
  value: unknown;
  /** Placeholders the template uses that `values` has no entry for. */
  unknown: string[];
}

/**
 * Replaces every `${{KEY}}` in the string values of a parsed JSON template.
 * Filling after parsing means a value can never break the JSON (quotes, backslashes).
 */
export function fillTemplate(template: unknown, values: TemplateValues): Filled {
  const unknown = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (match, key: string) => {
        if (Object.prototype.hasOwnProperty.call(values, key)) return values[key];
        unknown.add(key);
        return match;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  const value = fill(template);
  return { value, unknown: [...unknown] };
}
