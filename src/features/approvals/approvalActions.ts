import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import { ApprovalService } from '../../scheduleApprovals/approvalService';
import type { Decision } from '../../scheduleApprovals/approvalPolicy';
import type { Logger } from '../../logger';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import type { ProjectWatches } from '../runs/projectWatches';
import { sameAadId, verifiedPerson, type Person } from '../../person';
import { recurrenceWords } from '../../recurrence/recurrence';
import { approvalCard, approvalDecidedCard, approvalRequestCard } from '../../render/approvalCards';
import { cardMessage } from '../../render/cardRenderer';
import { VERBS } from '../../verbs';
import { BackgroundWork } from '../backgroundWork';
import { ActionReply, CardAction } from '../../teams/cardActions';
import { baseConversationId } from '../../teams/conversationIds';
import type { IntegrationForPerson } from '../integrationSource';
import { mentionText, said, wordsFor, type Said } from '../../words/words';
import { replyText, wordsOf } from '../../teams/say';
import { keptPausedText } from '../../integration/errorCatalogue';

/** Updates every copy of a request's card (the channel's and each approver's) to how the request stands. */
export async function updateApprovalCards(deps: Pick<ApprovalActionDeps, 'approvals' | 'sender'>, request: ApprovalRequest): Promise<void> {
  const card = approvalCard(request, { viewer: 'everyone', approverUserIds: request.approverUserIds, now: deps.approvals.now() }, wordsFor(request.requestedIn));
  const activity = cardMessage(card);
  for (const card of await deps.approvals.cards(request.id)) await deps.sender.update(card.conversationId, card.activityId, activity);
}

/** Tells the requester, with an @mention, in the thread of the request's card (or her chat), in her language. */
export async function tellRequester(deps: Pick<ApprovalActionDeps, 'approvals' | 'sender'>, request: ApprovalRequest, what: Said): Promise<void> {
  const who = request.requestedBy;
  const thread = (await deps.approvals.cards(request.id)).find((c) => c.conversationId === request.conversationId);
  await deps.sender.send({ conversationId: request.conversationId, replyToId: thread?.activityId }, {
    type: 'message',
    text: wordsFor(request.requestedIn).reply('approval.tell', { mention: who.userId ? { mention: who.name } : who.name, what }),
    entities: who.userId ? [{ type: 'mention', text: mentionText(who.name), mentioned: { id: who.userId, name: who.name } }] : undefined,
  });
}

/** What the requester is told once an approver decided (and, for an approval, once the service saved the schedule). */
function decisionText(request: ApprovalRequest): Said {
  const { decidedBy, comment, projectName: project } = request;
  const by = decidedBy?.name ?? said('approval.an');
  const commented = comment ? said('approval.comment', { comment: { long: comment } }) : said('approval.noComment');
  if (request.status === 'rejected') return said('approval.rejectedBy', { by, project, comment: commented });
  if (request.scheduleState === 'failed') return said('approval.approvedRefused', { by, project, reason: request.scheduleMessage ?? said('approval.noReason') });
  const about = { by, project, recurrence: recurrenceWords(request.recurrence), comment: commented };
  const then = request.keptPaused ? keptPausedText(request.keptPaused.by?.name, request.keptPaused.at) : request.scheduleMessage;
  if (then) return said('approval.approvedByThen', { ...about, then });
  return request.scheduledNextRunAt ? said('approval.approvedByNext', { ...about, next: { moment: request.scheduledNextRunAt } }) : said('approval.approvedBy', about);
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
  watches?: Pick<ProjectWatches, 'forRequest'>;
}

const dataSchema = z.object({ requestId: z.string().min(1).max(100), comment: z.string().max(4000).optional() });

const notFound = (context: TurnContext): ActionReply => ({ text: replyText(context, 'approval.notFound') });

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
      const watched = applied.scheduleState === 'set' && deps.watches !== undefined;
      if (watched) await deps.watches!.forRequest(applied);
      await tellRequester(deps, applied, watched ? said('approval.alertsHere', { text: decisionText(applied) }) : decisionText(applied));
    }
  };

  const decide = (decision: Decision): CardAction => async (context, data) => {
    const parsed = dataSchema.safeParse(data);
    if (!parsed.success) return notFound(context);
    const actor = verifiedPerson(context.activity);
    const outcome = await approvals.decide(parsed.data.requestId, actor, decision, parsed.data.comment);
    switch (outcome.kind) {
      case 'notFound':
        return notFound(context);
      case 'refused':
        deps.logger?.info({ requestId: outcome.request.id, actor: actor?.aadObjectId, decision }, 'schedule decision refused');
        return { card: viewFor(context, outcome.request, outcome.reason), text: replyText(context, outcome.reason) };
      case 'alreadyDecided': {
        const notice = said('approval.alreadyDecided', { by: outcome.request.decidedBy?.name ?? said('approval.an'), status: outcome.request.status });
        return { card: approvalDecidedCard(outcome.request, notice, wordsOf(context)), text: replyText(context, notice) };
      }
      case 'expired':
        background.run('update expired approval cards', () => updateCards(outcome.request));
        return { card: approvalDecidedCard(outcome.request, undefined, wordsOf(context)), text: replyText(context, 'approval.expiredClick') };
      case 'decided': {
        const conversationId = baseConversationId(context.activity.conversation.id);
        background.run('after a schedule decision', () => afterDecision(outcome.request, actor!, conversationId));
        return { card: approvalDecidedCard(outcome.request, undefined, wordsOf(context)), text: replyText(context, 'approval.youDecided', { status: outcome.request.status, project: outcome.request.projectName }) };
      }
    }
  };

  /** The card for the person who asks: buttons for approvers, a read-only view with the reason for others. */
  const viewFor = (context: TurnContext, request: ApprovalRequest, notice?: Said) => {
    if (request.status !== 'pending') return approvalDecidedCard(request, notice, wordsOf(context));
    const actor = verifiedPerson(context.activity);
    const mayReject = approvals.verdict(request, actor, 'reject');
    const mayApprove = approvals.verdict(request, actor, 'approve');
    // The requester is waiting for the approvers, whom the card names: no refusal to show her.
    const own = sameAadId(actor?.aadObjectId, request.requestedBy.aadObjectId);
    const reason = notice ?? (own ? undefined : !mayReject.allowed ? mayReject.reason : !mayApprove.allowed ? mayApprove.reason : undefined);
    return approvalRequestCard(request, { viewer: mayReject.allowed && !(own && !mayApprove.allowed) ? 'approver' : 'everyone', approverUserIds: request.approverUserIds, notice: reason, now: approvals.now() }, wordsOf(context));
  };

  const refresh: CardAction = async (context, data) => {
    const parsed = dataSchema.safeParse(data);
    const request = parsed.success ? await approvals.current(parsed.data.requestId) : undefined;
    if (!request) return notFound(context);
    if (request.status === 'expired') background.run('update expired approval cards', () => updateCards(request));
    return { card: viewFor(context, request), text: request.status === 'pending' ? replyText(context, 'approval.waiting') : replyText(context, 'approval.was', { status: request.status }) };
  };

  return { [VERBS.approveSchedule]: decide('approve'), [VERBS.rejectSchedule]: decide('reject'), [VERBS.refreshApproval]: refresh };
}
