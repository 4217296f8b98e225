import { ChannelAccount, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { baseConversationId } from '../../teams/conversationIds';
import type { ConversationReferenceStore } from '../../notifications/conversationReferenceStore';
import { sameAadId } from '../../person';

/** How the bot can reach an approver: their Teams user id and, if they ever chatted with the bot, their personal chat. */
export interface ApproverContact {
  aadObjectId: string;
  userId?: string;
  name?: string;
  personalConversationId?: string;
}

type ReferenceUser = { id?: string; name?: string; aadObjectId?: string };

/**
 * Finds the approvers' Teams user ids (refresh.userIds wants those, not Azure AD ids) and personal
 * chats: first from the personal chats the bot knows, then from the members of this conversation.
 */
export async function approverContacts(context: TurnContext, refs: ConversationReferenceStore, approvers: readonly string[]): Promise<ApproverContact[]> {
  const personal = (await refs.list()).filter((r) => r.conversationType === 'personal');
  const contacts = approvers.map((aadObjectId): ApproverContact => {
    const chat = personal.find((r) => sameAadId((r.reference.user as ReferenceUser | undefined)?.aadObjectId, aadObjectId));
    const user = chat?.reference.user as ReferenceUser | undefined;
    return { aadObjectId, userId: user?.id, name: user?.name, personalConversationId: chat?.conversationId };
  });
  if (contacts.every((c) => c.userId) || context.activity.conversation.conversationType === 'personal') return contacts;
  try {
    // TeamsInfo.getMembers overwrites aadObjectId with `objectId`, which only some answers carry: read both.
    const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
    const members = (await connector.conversations.getConversationMembers(baseConversationId(context.activity.conversation.id))) as Array<ChannelAccount & { objectId?: string }>;
    for (const c of contacts) {
      const member = members.find((m) => sameAadId(m.aadObjectId ?? m.objectId, c.aadObjectId));
      if (member && !c.userId) Object.assign(c, { userId: member.id, name: member.name });
    }
  } catch {
    // Without the roster the approvers still get the read-only card and can ask for their view.
  }
  return contacts;
}
