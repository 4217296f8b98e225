import type { Template } from 'adaptivecards-templating';

/**
 * adaptivecards-templating parses every "${…}" string of a template again on each expand (with
 * ANTLR, about 1 ms each: 20 ms of blocked event loop for one setup card). The strings it parses
 * come from our own cards/*.json, never from data, so each is parsed once and the expression reused.
 */
export function parseTemplateStringsOnce(engine: typeof Template): void {
  const template = engine as unknown as { parseInterpolatedString(s: string): unknown; parsedOnce?: boolean };
  if (template.parsedOnce) return;
  const parse = template.parseInterpolatedString.bind(template);
  const parsed = new Map<string, unknown>();
  template.parseInterpolatedString = (s: string) => {
    if (!parsed.has(s)) parsed.set(s, parse(s));
    return parsed.get(s);
  };
  template.parsedOnce = true;
}
