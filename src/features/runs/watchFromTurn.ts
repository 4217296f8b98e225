import type { TurnContext } from 'botbuilder';
import type { WatchInput } from '../../notifications/watchStore';
import { actingPerson } from '../../person';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';

/**
 * The watch a turn starts on a project: in this conversation (alerts in this thread), on behalf of the
 * person who acted, whose sign-in the watcher then uses. The one place a watch is made from a turn;
 * an approved schedule watches where it was requested, from the request it keeps.
 */
export function watchFromTurn(context: TurnContext, projectName: string): WatchInput {
  const a = context.activity;
  const person = actingPerson(a);
  return {
    projectName,
    conversationId: baseConversationId(a.conversation.id),
    owner: { aadObjectId: person?.aadObjectId ?? 'unknown', name: person?.name ?? 'Someone', userId: person?.userId },
    threadActivityId: threadRootOf(a.conversation.id),
  };
}
