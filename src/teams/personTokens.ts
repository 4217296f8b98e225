import { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';
import type { OwnerTokenSource, UserTokenFetch } from '../integration';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import { actingPerson } from '../person';

/** The token of the person behind a turn, from the bot's OAuth connection. */
export type TurnPersonToken = (context: TurnContext) => UserTokenFetch;

/** Reads the turn's person's token through the token client the adapter put on the turn. */
export function turnPersonToken(adapter: CloudAdapter, connectionName: string): TurnPersonToken {
  return (context) => {
    const tokens = context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey);
    const a = context.activity;
    const person = actingPerson(a);
    return async () => {
      const token = person && (await tokens?.getUserToken(person.userId, connectionName, a.channelId, ''));
      return token?.token ? { token: token.token, expiresOn: token.expiration } : undefined;
    };
  };
}

/**
 * For work done when nobody is chatting (approvals applied later, the run watcher): a proactive turn in
 * a conversation the person is in, because that is where their sign-in is looked up.
 */
export function proactivePersonToken(adapter: CloudAdapter, appId: string, refs: ConversationReferenceStore, ofTurn: TurnPersonToken): OwnerTokenSource {
  return async (person, conversationId) => {
    const record = await refs.get(conversationId);
    if (!record || !person.userId) return undefined;
    const reference = { ...record.reference, user: { id: person.userId, name: person.name, aadObjectId: person.aadObjectId } } as unknown as Partial<ConversationReference>;
    let token: UserTokenFetch | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => { token = ofTurn(context); });
    return token;
  };
}
