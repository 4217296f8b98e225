import type { Exchange } from './exchange';

/** How deep a body may nest; deeper ones are refused per call (JSON.stringify and zod recurse). Real bodies nest under 15. */
export const MAX_NESTING = 100;

/**
 * How deeply a JSON text nests its arrays and objects, read in one pass without parsing; stops counting
 * once past `limit`. Brackets inside strings do not count.
 */
export function nestingDepth(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth -= 1;
  }
  return deepest;
}

/** Why a call cannot be checked (its body nests too deep), or undefined. */
export function tooDeep(exchange: Pick<Exchange, 'requestBody' | 'responseBody'>): string | undefined {
  for (const [part, body] of [['request', exchange.requestBody], ['response', exchange.responseBody]] as const) {
    if (body && nestingDepth(body) > MAX_NESTING) return `its ${part} body nests deeper than ${MAX_NESTING} levels`;
  }
  return undefined;
}

/** The calls that can be checked, and one line per call that cannot, naming it (`entry 12 (POST): …`). */
export function screened(exchanges: readonly Exchange[], name: (index: number) => string): { exchanges: Exchange[]; skipped: string[] } {
  const kept: Exchange[] = [];
  const skipped: string[] = [];
  exchanges.forEach((exchange, i) => {
    const why = tooDeep(exchange);
    if (why) skipped.push(`${name(i)} (${exchange.method}): ${why}; skipped`);
    else kept.push(exchange);
  });
  return { exchanges: kept, skipped };
}
