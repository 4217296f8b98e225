import { ADA, message, Person, submit } from './activities';
import { cardAction, cardInputs, cardText } from './cardWalk';
import type { Harness } from './harness';
import type { ConnectorCall } from '../../dev/playground/localConnector';

/** The cards the bot sent, oldest first. */
export function sentCards(h: Pick<Harness, 'connector'>): unknown[] {
  return h.connector.messages().flatMap((c) => (c.activity.attachments ?? []).map((a) => a.content));
}

/** The card a person would click next: the last one sent. */
export function newestCard(h: Pick<Harness, 'connector'>): unknown {
  const cards = sentCards(h);
  if (cards.length === 0) throw new Error('no card was sent');
  return cards[cards.length - 1];
}

/**
 * Whether a call updates a card other than the setup flow's own step cards (which the flow freezes or shows
 * again in place as the person goes on): a run card getting its result, say.
 */
export function isUpdateBeyondSetup(call: ConnectorCall): boolean {
  return call.kind === 'update' && !/^Step \d of 5\b/.test(cardText(call.activity.attachments?.[0]?.content));
}

/** The activity of a click on a card's button, with its inputs changed by `changes`, as Teams sends it. */
export function clickActivity(serviceUrl: string, card: unknown, title: string, changes: Record<string, string> = {}, who: Person = ADA) {
  return submit(serviceUrl, { ...cardInputs(card), ...changes, ...cardAction(card, title) }, 'channel', who);
}

/** What a person does from "set up account sync" to the review card; `post` may send each step to another instance. */
export async function walkToReview(serviceUrl: string, connector: Harness['connector'], post: (step: number, activity: object) => Promise<unknown>, projectName: string): Promise<unknown> {
  const steps: Array<[title: string, changes: Record<string, string>]> = [['Continue', {}], ['Next', { mode: 'new' }], ['Next', { name: projectName, consent: 'true' }]];
  await post(0, message(serviceUrl, 'set up account sync'));
  for (const [i, [title, changes]] of steps.entries()) await post(i + 1, clickActivity(serviceUrl, newestCard({ connector }), title, changes));
  const review = newestCard({ connector });
  if (!cardText(review).includes(projectName)) throw new Error(`not at the review: ${cardText(review).slice(0, 300)}`);
  return review;
}

/** A click on a card's button (as `clickActivity`), posted; anything but 200 fails the test. */
export async function click(h: Pick<Harness, 'post' | 'serviceUrl'>, card: unknown, title: string, changes: Record<string, string> = {}): Promise<void> {
  const { status } = await h.post(clickActivity(h.serviceUrl, card, title, changes));
  if (status !== 200) throw new Error(`"${title}" was answered ${status}`);
}

/** A new setup walked to step 5 ("Create" on the review card), its card returned. */
export async function walkToStepFive(h: Harness, projectName: string): Promise<Record<string, unknown>> {
  await click(h, await walkToReview(h.serviceUrl, h.connector, (_step, activity) => h.post(activity), projectName), 'Create');
  const stepFive = newestCard(h) as Record<string, unknown>;
  if (!cardText(stepFive).includes('Step 5 of 5')) throw new Error(`not at step 5: ${cardText(stepFive).slice(0, 300)}`);
  return stepFive;
}
