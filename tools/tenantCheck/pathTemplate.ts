const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every string value in a JSON body (names the capture showed, which may come back as path segments). */
export function stringsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, into));
  return into;
}

/** A path segment decoded, or as it is when it is not valid percent-encoding. */
export function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether a path segment is data (an id or a name) rather than part of the route. */
export function isDataSegment(segment: string, knownNames: ReadonlySet<string>): 'id' | 'name' | undefined {
  const text = decoded(segment);
  if (GUID.test(text) || /^\d+$/.test(text) || /^[0-9a-f]{16,}$/i.test(text)) return 'id';
  if (knownNames.has(text) || /[\s@'(),]/.test(text) || /\d/.test(text) || text.length > 64) return 'name';
  return undefined;
}

/**
 * A call's path relative to the service's base path, with ids and names replaced by `{id}` / `{name}`
 * (numbered when repeated), e.g. `api/Projects/{name}/Runs/{id}`.
 */
export function templatePath(relativePath: string, knownNames: ReadonlySet<string>): string {
  const used = new Map<string, number>();
  return relativePath.split('/').filter(Boolean).map((segment) => {
    const kind = isDataSegment(segment, knownNames);
    if (!kind) return segment;
    const n = (used.get(kind) ?? 0) + 1;
    used.set(kind, n);
    return `{${kind}${n > 1 ? n : ''}}`;
  }).join('/');
}

/** The parameters of a template, in order. */
export const paramsOf = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** A candidate's template with its parameters renamed, in order, to a route's; undefined when the counts differ. */
export function renameParams(template: string, routeParams: readonly string[]): string | undefined {
  if (paramsOf(template).length !== routeParams.length) return undefined;
  let i = 0;
  return template.replace(/\{\w+\}/g, () => `{${routeParams[i++]}}`);
}
