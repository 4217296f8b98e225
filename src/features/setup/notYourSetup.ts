import type { TurnContext } from 'botbuilder';
import { actingPerson } from '../../person';
import { echo } from '../../text/sanitize';

const NOT_OPEN = 'That setup card is not part of a setup of yours that is still open (it may belong to someone else, or have finished). Type "set up account sync" to start your own.';

/**
 * The answer to a setup card that is not part of the clicker's setup: by name when the card says whose
 * it is and that is someone else (the name is only words: what a click may do is decided by the
 * clicker's own state, which holds no flow of anyone else).
 */
export function notYourSetup(context: TurnContext, otherwise = NOT_OPEN): string {
  const owner = (context.activity.value as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string' && owner.trim() && owner !== actingPerson(context.activity)?.name) {
    return `That card is not part of a setup of yours: this is ${echo(owner)}'s setup, and only ${echo(owner)} can use its buttons, so nothing changed. Type "set up account sync" to start your own.`;
  }
  return otherwise;
}
