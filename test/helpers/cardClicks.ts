import { execute, Person, submit } from './activities';
import { cardInputs, cardText } from './cardWalk';
import type { CardNode } from './cardRules';
import type { LocalConnector } from '../../dev/playground/localConnector';
import { CATALOGUES, type MessageId } from '../../src/words/catalogue';

/** A button a person can click that reaches the bot (links are left out: they leave the chat). */
export interface Clickable { type: 'Action.Submit' | 'Action.Execute'; title: string; verb?: string; data: Record<string, unknown> }

/** Every Action.Submit and Action.Execute a person sees on a card, ShowCard forms included; fallbacks stand in for their action, so they are left out. */
export function clickables(card: unknown): Clickable[] {
  const found: Clickable[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as CardNode;
    if (n.type === 'Action.Submit' || n.type === 'Action.Execute') {
      found.push({ type: n.type, title: String(n.title), verb: n.verb as string | undefined, data: (n.data ?? {}) as Record<string, unknown> });
      return;
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'fallback') visit(value);
  };
  visit(card);
  return found;
}

/** The answers that only say a card's moment has passed: a button that gets one of them no longer acts. */
const DEAD_ENDS: MessageId[] = [
  'setup.finished', 'setup.alreadyRan', 'setup.notYours', 'flow.earlierCard', 'flow.notCurrent', 'error.cardOutdated',
  'flow.alreadyCreated', 'setup.createdAndRan', 'approval.alreadyDecided', 'approval.notFound', 'dataflow.reply.notWatched', 'dataflow.reply.deleted',
];

/** Each dead-end answer, its parameters matching anything. ("Already waiting for an approver" is no dead end: it points at the request.) */
export const DEAD_END = new RegExp(DEAD_ENDS.map((id) => CATALOGUES.en[id].split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')).join('|'));

/** The message ids first sent from call `since` on, each with its card as the conversation shows it now (its latest version). */
export function cardsSince(connector: LocalConnector, since: number): Array<{ activityId: string; card: unknown }> {
  const latest = new Map<string, unknown>();
  connector.calls.slice(since).forEach((c) => {
    const card = c.activity.attachments?.[0]?.content;
    if (card && (c.kind !== 'update' || latest.has(c.activityId))) latest.set(c.activityId, card);
  });
  // An update of a message sent before `since` is left out: it belongs to an earlier walk.
  return [...latest].map(([activityId, card]) => ({ activityId, card }));
}

/** What the bot answered to one click: the invoke's answer (text, or the card the clicker now sees) and everything it posted meanwhile. */
export interface ClickAnswer { title: string; said: string }

/** How a test reaches the bot: posting an activity, with the answer's body. */
export type Post = (activity: object) => Promise<{ status: number; body: unknown }>;

/** Clicks every button left on a card as `who` would, one after the other, and returns what each click got back. */
export async function clickEach(post: Post, connector: LocalConnector, serviceUrl: string, at: { activityId: string; card: unknown }, who: Person, settle: () => Promise<void>): Promise<ClickAnswer[]> {
  const answers: ClickAnswer[] = [];
  for (const button of clickables(at.card)) {
    const before = connector.calls.length;
    const value = { ...cardInputs(at.card), ...button.data };
    const res = button.type === 'Action.Execute'
      ? await post(execute(serviceUrl, who, button.verb ?? '', value, at.activityId))
      : await post({ ...submit(serviceUrl, value, 'channel', who), replyToId: at.activityId });
    await settle();
    const invoke = (res.body as { value?: unknown } | undefined)?.value;
    const posted = connector.calls.slice(before).map((c) => c.activity.text ?? cardText(c.activity.attachments?.[0]?.content));
    answers.push({ title: button.title, said: [typeof invoke === 'string' ? invoke : invoke ? cardText(invoke) : '', ...posted].filter(Boolean).join(' || ') });
  }
  return answers;
}
