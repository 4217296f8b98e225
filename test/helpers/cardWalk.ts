/** An Adaptive Card as JSON, walked by tests the way a Teams client reads it. */
type Node = Record<string, unknown>;

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

/** The inputs of a card with the values it shows (what Teams submits if the person changes nothing). */
export function cardInputs(card: unknown): Record<string, string> {
  const inputs: Record<string, string> = {};
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') inputs[n.id] = String(n.value ?? '');
  });
  return inputs;
}

/** The choices of a ChoiceSet input. */
export function cardChoices(card: unknown, id: string): string[] {
  let choices: string[] = [];
  walk(card, (n) => {
    if (n.type === 'Input.ChoiceSet' && n.id === id) choices = (n.choices as Array<{ value: string }>).map((c) => c.value);
  });
  return choices;
}

/** The data of the button with this title; throws when the card has none. */
export function cardAction(card: unknown, title: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Action.') && n.title === title) found = n.data as Record<string, unknown>;
  });
  if (!found) throw new Error(`no "${title}" button on the card: ${JSON.stringify(card).slice(0, 400)}`);
  return found;
}

/** All visible text of a card, joined, for assertions on what a person reads. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  walk(card, (n) => {
    for (const key of ['text', 'title', 'value', 'label']) if (typeof n[key] === 'string') parts.push(n[key] as string);
  });
  return parts.join(' | ');
}

/** A card's text as the person reads it: without the backslashes that keep names and punctuation out of markdown. */
export function cardReading(card: unknown): string {
  return cardText(card).replace(/\\(.)/g, '$1');
}
