import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import { ApprovalService } from '../../scheduleApprovals/approvalService';
import type { Decision } from '../../scheduleApprovals/approvalPolicy';
import type { Logger } from '../../logger';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import type { WatchInput } from '../../notifications/watchStore';
import { sameAadId, type Person } from '../../person';
import { describeRecurrence } from '../../scheduleApprovals/recurrence';
import { plainDateTime } from '../../render/cardText';
import { approvalCard, approvalDecidedCard, approvalRequestCard } from '../../render/approvalCards';
import { cardAttachment } from '../../render/cardRenderer';
import { VERBS } from '../../verbs';
import { BackgroundWork } from '../../teams/backgroundWork';
import { actorOf, ActionReply, CardAction } from '../../teams/cardActions';
import { baseConversationId } from '../../teams/conversationIds';
import type { IntegrationForPerson } from '../integrationSource';
import { echo } from '../../text/sanitize';
import { keptPausedText } from '../../integration/errorCatalogue';

/** Updates every copy of a request's card (the channel's and each approver's) to how the request stands. */
export async function updateApprovalCards(deps: Pick<ApprovalActionDeps, 'approvals' | 'sender'>, request: ApprovalRequest): Promise<void> {
  const activity = { type: 'message' as const, attachments: [cardAttachment(approvalCard(request, { viewer: 'everyone', approverUserIds: request.approverUserIds }))] };
  for (const card of await deps.approvals.cards(request.id)) await deps.sender.update(card.conversationId, card.activityId, activity);
}

/** Tells the requester, with an @mention, in the thread of the request's card (or her chat). */
export async function tellRequester(deps: Pick<ApprovalActionDeps, 'approvals' | 'sender'>, request: ApprovalRequest, what: string): Promise<void> {
  const who = request.requestedBy;
  const mention = who.userId ? `<at>${who.name}</at>` : who.name;
  const thread = (await deps.approvals.cards(request.id)).find((c) => c.conversationId === request.conversationId);
  await deps.sender.send({ conversationId: request.conversationId, replyToId: thread?.activityId }, {
    type: 'message',
    text: `${mention}, ${what}`,
    entities: who.userId ? [{ type: 'mention', text: mention, mentioned: { id: who.userId, name: who.name } }] : undefined,
  });
}

/** What the requester is told once an approver decided (and, for an approval, once the service saved the schedule). */
function decisionText(request: ApprovalRequest): string {
  const { decidedBy, comment, projectName } = request;
  const by = decidedBy?.name ?? 'an approver';
  const said = comment ? `: "${echo(comment, 500)}"` : '.';
  if (request.status === 'rejected') return `${by} rejected the schedule of "${projectName}"${said} It was not set: the project runs only when started.`;
  if (request.scheduleState === 'failed') return `${by} approved the schedule of "${projectName}", but the service refused it: ${request.scheduleMessage ?? 'no reason given'}`;
  const next = request.scheduledNextRunAt ? ` Next run ${plainDateTime(request.scheduledNextRunAt)}.` : '';
  const paused = request.keptPaused && ` ${keptPausedText(request.keptPaused.by?.name, request.keptPaused.at && `on ${plainDateTime(request.keptPaused.at)}`)}`;
  const warning = request.scheduleMessage && ` ${request.scheduleMessage}`;
  return `${by} approved the schedule of "${projectName}" (${describeRecurrence(request.recurrence)})${said} It is scheduled.${paused ?? warning ?? next}`;
}

/** What the approval card actions need. */
export interface ApprovalActionDeps {
  approvals: ApprovalService;
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  background: BackgroundWork;
  integrationFor: IntegrationForPerson;
  logger?: Logger;
  /** Told once an approved schedule is set, so the run watcher reads it again. */
  onScheduleChanged?: (projectName: string) => void;
  /** Sends the project's run alerts to where its schedule was asked for and approved. */
  watchProject?: (input: WatchInput) => unknown;
}

const dataSchema = z.object({ requestId: z.string().min(1).max(100), comment: z.string().max(4000).optional() });

const NOT_FOUND: ActionReply = { text: 'I no longer know this request. Ask again with "schedule PROJECT every 5 minutes".' };

/**
 * Approve, Reject and the per-person refresh of an approval card. Each answers at once with the
 * card for the person who clicked; updating everybody's card, saving the schedule and telling
 * the requester happen afterwards in the background.
 */
export function approvalActions(deps: ApprovalActionDeps): Record<string, CardAction> {
  const { approvals, background } = deps;

  const updateCards = (request: ApprovalRequest) => updateApprovalCards(deps, request);

  const afterDecision = async (request: ApprovalRequest, actor: Person, clickedIn: string) => {
    await updateCards(request);
    if (request.status === 'rejected') return tellRequester(deps, request, decisionText(request));
    const integration = (await deps.integrationFor({ owner: request.requestedBy, conversationId: request.conversationId }).catch(() => undefined))
      ?? (await deps.integrationFor({ owner: actor, conversationId: clickedIn }).catch(() => undefined));
    const applied = await approvals.applyApproval(request.id, integration);
    if (applied) {
      deps.onScheduleChanged?.(applied.projectName);
      await updateCards(applied);
      const watched = applied.scheduleState === 'set' && deps.watchProject !== undefined;
      if (watched) {
        const { projectName, conversationId, requestedBy: owner, threadActivityId } = applied;
        await deps.watchProject!({ projectName, conversationId, owner, threadActivityId });
      }
      await tellRequester(deps, applied, `${decisionText(applied)}${watched ? ' Its run alerts come here.' : ''}`);
    }
  };

  const decide = (decision: Decision): CardAction => async (context, data) => {
    const parsed = dataSchema.safeParse(data);
    if (!parsed.success) return NOT_FOUND;
    const actor = actorOf(context);
    const outcome = await approvals.decide(parsed.data.requestId, actor, decision, parsed.data.comment);
    switch (outcome.kind) {
      case 'notFound':
        return NOT_FOUND;
      case 'refused':
        deps.logger?.info({ requestId: outcome.request.id, actor: actor?.aadObjectId, decision }, 'schedule decision refused');
        return { card: viewFor(context, outcome.request, outcome.reason), text: outcome.reason };
      case 'alreadyDecided': {
        const notice = `${outcome.request.decidedBy?.name ?? 'Someone'} already ${outcome.request.status} this request; your click changed nothing.`;
        return { card: approvalDecidedCard(outcome.request, notice), text: notice };
      }
      case 'expired':
        background.run('update expired approval cards', () => updateCards(outcome.request));
        return { card: approvalDecidedCard(outcome.request), text: 'This request has expired, so the schedule was not set.' };
      case 'decided': {
        const conversationId = baseConversationId(context.activity.conversation.id);
        background.run('after a schedule decision', () => afterDecision(outcome.request, actor!, conversationId));
        const verb = outcome.request.status === 'approved' ? 'approved' : 'rejected';
        return { card: approvalDecidedCard(outcome.request), text: `You ${verb} the schedule of "${outcome.request.projectName}".` };
      }
    }
  };

  /** The card for the person who asks: buttons for approvers, a read-only view with the reason for others. */
  const viewFor = (context: TurnContext, request: ApprovalRequest, notice?: string) => {
    if (request.status !== 'pending') return approvalDecidedCard(request, notice);
    const actor = actorOf(context);
    const mayReject = approvals.verdict(request, actor, 'reject');
    const mayApprove = approvals.verdict(request, actor, 'approve');
    // The requester is waiting for the approvers, whom the card names: no refusal to show her.
    const own = sameAadId(actor?.aadObjectId, request.requestedBy.aadObjectId);
    const reason = notice ?? (own ? undefined : !mayReject.allowed ? mayReject.reason : !mayApprove.allowed ? mayApprove.reason : undefined);
    return approvalRequestCard(request, { viewer: mayReject.allowed && !(own && !mayApprove.allowed) ? 'approver' : 'everyone', approverUserIds: request.approverUserIds, notice: reason });
  };

  const refresh: CardAction = async (context, data) => {
    const parsed = dataSchema.safeParse(data);
    const request = parsed.success ? await approvals.current(parsed.data.requestId) : undefined;
    if (!request) return NOT_FOUND;
    if (request.status === 'expired') background.run('update expired approval cards', () => updateCards(request));
    return { card: viewFor(context, request), text: request.status === 'pending' ? 'The request is waiting for an approver.' : `The request was ${request.status}.` };
  };

  return { [VERBS.approveSchedule]: decide('approve'), [VERBS.rejectSchedule]: decide('reject'), [VERBS.refreshApproval]: refresh };
}
