import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, type MessageId } from '../../src/words/catalogue';
import type { Params } from '../../src/words/words';

type Node = { type: number; value?: string; options?: Record<string, { value: Node[] }> };

/** The arguments of an ICU message and how it uses each: `text` (a plain `{x}`), `number` (number or plural) or the options of a select. */
export function argumentsOf(message: string): Map<string, 'text' | 'number' | string[]> {
  const found = new Map<string, 'text' | 'number' | string[]>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      // intl-messageformat's AST types: 1 argument, 2 number, 5 select, 6 plural.
      if (n.type === 1 && n.value && !found.has(n.value)) found.set(n.value, 'text');
      if ((n.type === 2 || n.type === 6) && n.value) found.set(n.value, 'number');
      if (n.type === 5 && n.value) found.set(n.value, Object.keys(n.options ?? {}).filter((k) => k !== 'other'));
      for (const option of Object.values(n.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en').getAst() as unknown as Node[]);
  return found;
}

/** Every message id of the catalogue. */
export const MESSAGE_IDS = Object.keys(CATALOGUES.en) as MessageId[];

/** Parameters for a message: `text` for every text argument, `n` for numbers, each select option in turn (one set per option). */
export function sampleParams(id: MessageId, text: string, n = 2): Params[] {
  const args = argumentsOf(CATALOGUES.en[id]);
  const base: Record<string, string | number> = {};
  const selects: Array<[string, string[]]> = [];
  for (const [name, use] of args) {
    // A link target is always the bot's own address (see Link): what is tested there is that it stays one.
    if (name === 'url') base[name] = { link: 'https://make.powerapps.com/environments/e/connections' } as never;
    else if (use === 'number') base[name] = n;
    else if (use === 'text') base[name] = text;
    else selects.push([name, [...use, 'other']]);
  }
  if (selects.length === 0) return [base];
  return selects.flatMap(([name, options]) => options.map((option) => ({ ...base, ...Object.fromEntries(selects.map(([s]) => [s, 'other'])), [name]: option })));
}
