import { Activity, Middleware, TeamsChannelData, TurnContext } from 'botbuilder';
import { ConversationRecord, ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import { baseConversationId } from './conversationIds';
import { turnLogger } from './turnLogger';


/** Where the activity came from, as the reference store keeps it. */
export function conversationRecordOf(activity: Partial<Activity>): ConversationRecord {
  const reference = TurnContext.getConversationReference(activity);
  const id = baseConversationId(activity.conversation!.id);
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  return {
    conversationId: id,
    tenantId: activity.conversation?.tenantId ?? channelData.tenant?.id,
    teamId: channelData.team?.id,
    channelId: activity.channelId!,
    conversationType: activity.conversation?.conversationType,
    serviceUrl: activity.serviceUrl!,
    reference: { ...reference, conversation: { ...reference.conversation!, id } } as ConversationRecord['reference'],
  };
}

/** Saves or refreshes the conversation's reference on every inbound activity, so proactive alerts can reach it. */
export function conversationReferenceMiddleware(store: ConversationReferenceStore): Middleware {
  return {
    async onTurn(context, next) {
      const a = context.activity;
      const removal = a.type === 'installationUpdate' && /^remove/.test(a.action ?? '');
      // Proactive turns carry a synthetic activity: saving it would overwrite the real reference.
      const proactive = a.type === 'event' && (a.name === 'ContinueConversation' || a.name === 'CreateConversation');
      if (!removal && !proactive) {
        await store.save(conversationRecordOf(a)).catch((err: unknown) =>
          turnLogger(context)?.warn({ err }, 'could not save the conversation reference'),
        );
      }
      await next();
    },
  };
}
