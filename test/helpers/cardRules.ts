/** Reading a card as new Teams shows it, for the rules every card must follow (card tests and the browser walk). */
export type CardNode = Record<string, unknown>;

/** Every object in a card, depth first. */
export function nodes(node: unknown, found: CardNode[] = []): CardNode[] {
  if (Array.isArray(node)) node.forEach((n) => nodes(n, found));
  else if (node && typeof node === 'object') {
    found.push(node as CardNode);
    Object.values(node).forEach((v) => nodes(v, found));
  }
  return found;
}

/** Every string a person reads on a card: texts, titles, labels, fact values, choice titles, placeholders, error messages. */
export function readable(card: unknown): string[] {
  return nodes(card).flatMap((n) => ['text', 'title', 'label', 'value', 'placeholder', 'errorMessage']
    .filter((k) => typeof n[k] === 'string' && !(k === 'value' && String(n.type ?? '').startsWith('Input.')))
    .map((k) => n[k] as string));
}

/** The actions of a card and of each ShowCard in it, one list per action bar. */
export function actionBars(card: unknown): CardNode[][] {
  return nodes(card).filter((n) => Array.isArray(n.actions)).map((n) => n.actions as CardNode[]);
}

/** Texts that show a raw ISO timestamp (dates must go through the Teams date functions). */
export function rawTimestamps(card: unknown): string[] {
  return readable(card).filter((t) => /\d{4}-\d\d-\d\dT\d\d:\d\d(?!:\d\dZ\))/.test(t.replace(/\{\{(DATE|TIME)\([^)]*\)[^}]*\}\}/g, '')));
}

/** Titles of the primary actions of each action bar that has more than new Teams shows (three). */
export function crowdedActionBars(card: unknown): string[][] {
  return actionBars(card).map((bar) => bar.filter((a) => a.mode !== 'secondary').map((a) => String(a.title))).filter((titles) => titles.length > 3);
}

/** Texts that show one of `ids` (ids of things that have a name people know them by), each with the id found. */
export function rawIds(card: unknown, ids: readonly string[]): string[] {
  const lower = ids.map((id) => id.toLowerCase());
  return readable(card).flatMap((t) => lower.filter((id) => t.toLowerCase().includes(id)).map((id) => `${id} in "${t}"`));
}
