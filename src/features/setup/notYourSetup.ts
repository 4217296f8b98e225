import type { TurnContext } from 'botbuilder';
import { actingPerson } from '../../person';
import { said, type Said } from '../../words/words';

const NOT_OPEN = said('setup.notYours');

/**
 * The answer to a setup card that is not part of the clicker's setup: by name when the card says whose
 * it is and that is someone else (the name is only words: what a click may do is decided by the
 * clicker's own state, which holds no flow of anyone else).
 */
export function notYourSetup(context: TurnContext, otherwise: Said = NOT_OPEN): Said {
  const owner = (context.activity.value as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string' && owner.trim() && owner !== actingPerson(context.activity)?.name) {
    return said('setup.notYoursNamed', { owner });
  }
  return otherwise;
}
