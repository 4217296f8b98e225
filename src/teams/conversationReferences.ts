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

/**
 * Another channel of the activity's team, by its conversation id: what a proactive message there needs when nobody wrote
 * in it since the bot came (Bot Framework posts to a team's channel by its id, with the team's service URL and tenant).
 */
export function channelRecordOf(activity: Partial<Activity>, channelConversationId: string): ConversationRecord {
  const { tenantId, teamId, channelId, serviceUrl, reference } = conversationRecordOf(activity);
  const conversation = { id: channelConversationId, conversationType: 'channel', isGroup: true, ...(tenantId ? { tenantId } : {}) };
  return {
    conversationId: channelConversationId, tenantId, teamId, channelId, conversationType: 'channel', serviceUrl,
    reference: { channelId, serviceUrl, conversation, bot: reference.bot },
  };
}

/** How long a reference saved by this process is trusted not to have changed in the store (another instance may remove it). */
const SAVED_TRUST_MS = 10 * 60_000;
/** Conversations whose last save this process remembers (the oldest is forgotten first). */
const SAVED_MAX = 10_000;

/**
 * The reference store, minus the writes that change nothing: a message in a conversation whose reference this
 * process saved, identical but for the activity id (which proactive sends drop), within SAVED_TRUST_MS, is not
 * written again. Installs and conversation updates are always written; a restart forgets everything, so the
 * first activity after it is saved; removing a conversation (or a team) forgets it here too.
 */
export class SavedReferences implements ConversationReferenceStore {
  private readonly saved = new Map<string, { key: string; at: number }>();

  constructor(private readonly store: ConversationReferenceStore, private readonly now: () => number = Date.now) {}

  async save(record: ConversationRecord): Promise<void> {
    this.saved.delete(record.conversationId);
    await this.store.save(record);
    this.saved.set(record.conversationId, { key: keyOf(record), at: this.now() });
    if (this.saved.size > SAVED_MAX) this.saved.delete(this.saved.keys().next().value!);
  }

  /** Saves the record of an inbound activity of `activityType`, unless a message or invoke finds it unchanged. */
  async saveIfChanged(record: ConversationRecord, activityType: string): Promise<void> {
    const last = this.saved.get(record.conversationId);
    const frequent = activityType === 'message' || activityType === 'invoke';
    if (frequent && last && this.now() - last.at < SAVED_TRUST_MS && last.key === keyOf(record)) return;
    await this.save(record);
  }

  get(conversationId: string): Promise<ConversationRecord | undefined> { return this.store.get(conversationId); }
  list(): Promise<ConversationRecord[]> { return this.store.list(); }
  markWelcomed(conversationId: string): Promise<boolean> { return this.store.markWelcomed(conversationId); }

  async remove(conversationId: string): Promise<void> {
    this.saved.delete(conversationId);
    await this.store.remove(conversationId);
  }

  async removeTeam(teamId: string): Promise<number> {
    this.saved.clear();
    return this.store.removeTeam(teamId);
  }
}

/** What decides "unchanged": the whole record but the activity id. */
function keyOf(record: ConversationRecord): string {
  return JSON.stringify({ ...record, reference: { ...record.reference, activityId: undefined } });
}

/** Saves or refreshes the conversation's reference on inbound activities (when changed), so proactive alerts can reach it. */
export function conversationReferenceMiddleware(store: SavedReferences): Middleware {
  return {
    async onTurn(context, next) {
      const a = context.activity;
      const removal = a.type === 'installationUpdate' && /^remove/.test(a.action ?? '');
      // Proactive turns carry a synthetic activity: saving it would overwrite the real reference.
      const proactive = a.type === 'event' && (a.name === 'ContinueConversation' || a.name === 'CreateConversation');
      if (!removal && !proactive) {
        await store.saveIfChanged(conversationRecordOf(a), a.type).catch((err: unknown) =>
          turnLogger(context)?.warn({ err }, 'could not save the conversation reference'),
        );
      }
      await next();
    },
  };
}
