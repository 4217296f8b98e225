import { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { AuthenticationConstants, ConnectorClient } from 'botframework-connector';
import type { ConversationRecord } from '../notifications/conversationReferenceStore';
import { threadRootOf } from './conversationIds';
import { ConversationTransport, DeliveryError, OutboundActivity } from '../notifications/outbound';
import { traceConnector } from '../telemetry/connectorTelemetry';

/** Converts the connector's RestError (statusCode, code) into the domain's DeliveryError. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?(name: string): string | undefined } } };
  const retryAfter = Number(e?.response?.headers?.get?.('retry-after'));
  return new DeliveryError(e?.message ?? String(err), e?.statusCode, e?.code, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
}

/**
 * The Bot Framework transport for proactive messages, over CloudAdapter.continueConversationAsync
 * (appId '' in local mode). It calls the connector client itself: TurnContext.sendActivity would
 * turn every proactive send into a reply to the continuation's made-up activity id.
 */
export function botConnectorTransport(adapter: CloudAdapter, appId: string): ConversationTransport {
  const withConnector = async <T>(record: ConversationRecord, work: (connector: ConnectorClient, reference: Partial<ConversationReference>) => Promise<T>): Promise<T> => {
    const reference = { ...record.reference, activityId: undefined } as unknown as Partial<ConversationReference>;
    // The adapter's onTurnError would swallow a failure inside the turn: carry it out instead.
    const turn: { outcome?: { ok: true; value: T } | { ok: false; error: unknown } } = {};
    try {
      await adapter.continueConversationAsync(appId, reference, async (context: TurnContext) => {
        try {
          turn.outcome = { ok: true, value: await work(context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey), reference) };
        } catch (error) {
          turn.outcome = { ok: false, error };
        }
      });
    } catch (error) {
      turn.outcome = { ok: false, error };
    }
    if (!turn.outcome) throw new DeliveryError('The proactive turn did not run');
    if (!turn.outcome.ok) throw toDeliveryError(turn.outcome.error);
    return turn.outcome.value;
  };
  const outgoing = (reference: Partial<ConversationReference>, activity: OutboundActivity, extra: Partial<Activity> = {}): Partial<Activity> => ({
    ...activity,
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    from: reference.bot,
    ...extra,
  });

  return {
    send: (record, activity, replyToId) => traceConnector('send', () =>
      withConnector(record, async (connector, reference) => {
        const conversationId = reference.conversation!.id;
        const sent = replyToId
          ? await connector.conversations.replyToActivity(conversationId, replyToId, outgoing(reference, activity, { replyToId }) as Activity)
          : await connector.conversations.sendToConversation(conversationId, outgoing(reference, activity) as Activity);
        return { id: sent.id };
      })),
    update: (record, activityId, activity) => traceConnector('update', () =>
      withConnector(record, async (connector, reference) => {
        await connector.conversations.updateActivity(reference.conversation!.id, activityId, outgoing(reference, activity, { id: activityId }) as Activity);
      })),
    startThread: (record, activity) => traceConnector('startThread', async () => {
      const channelData = { channel: { id: record.conversationId }, tenant: record.tenantId ? { id: record.tenantId } : undefined, team: record.teamId ? { id: record.teamId } : undefined };
      let threadId: string | undefined;
      let failure: unknown;
      try {
        await adapter.createConversationAsync(
          appId, record.channelId, record.serviceUrl, AuthenticationConstants.ToChannelFromBotOAuthScope,
          { isGroup: true, channelData, activity: activity as Activity, bot: record.reference.bot as unknown as Activity['recipient'], tenantId: record.tenantId, members: [] },
          async (context) => {
            threadId = threadRootOf(context.activity.conversation.id);
          },
        );
      } catch (error) {
        failure = error;
      }
      if (failure) throw toDeliveryError(failure);
      if (!threadId) throw new DeliveryError('The channel did not return the new thread id', undefined, 'NoThreadId');
      return { threadId };
    }),
  };
}
