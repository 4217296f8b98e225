import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import type { Decision } from '../../scheduleApprovals/approvalPolicy';
import { sameAadId, verifiedPerson } from '../../person';
import { approvalDecidedCard, approvalRequestCard } from '../../render/approvalCards';
import { VERBS } from '../../verbs';
import { BackgroundWork } from '../backgroundWork';
import { ActionReply, CardAction } from '../../teams/cardActions';
import { baseConversationId } from '../../teams/conversationIds';
import { said, type Said } from '../../words/words';
import { replyText, wordsOf } from '../../teams/say';
import { announceOutcome, OutcomeDeps, saveApproved, updateApprovalCards } from './approvalOutcomes';

/** What the approval card actions need. */
export interface ApprovalActionDeps extends OutcomeDeps {
  background: BackgroundWork;
}

const dataSchema = z.object({ requestId: z.string().min(1).max(100), comment: z.string().max(4000).optional() });

const notFound = (context: TurnContext): ActionReply => ({ text: replyText(context, 'approval.notFound') });

/**
 * Approve, Reject and the per-person refresh of an approval card. Each answers at once with the
 * card for the person who clicked; updating everybody's card, saving the schedule and telling
 * the requester happen afterwards in the background. Every click is idempotent: the transitions
 * behind it (decide, save, tell) are each claimed once, across instances.
 */
export function approvalActions(deps: ApprovalActionDeps): Record<string, CardAction> {
  const { approvals, background } = deps;

  const afterDecision = async (request: ApprovalRequest) => {
    if (request.status === 'rejected') return announceOutcome(deps, request);
    // The save neither waits for the cards nor fails with them; what came of it is shown after them.
    const shown = updateApprovalCards(deps, request).catch((err: unknown) => deps.logger?.warn({ err, requestId: request.id }, 'approval cards not updated'));
    await saveApproved(deps, request, shown);
  };

  /** A request seen that still waits for the bot (its schedule saved, its outcome told) gets that done now, not at the next sweep. */
  const catchUp = (request: ApprovalRequest) => {
    if (approvals.followUps.isDueForSaving(request)) background.run('save an approved schedule', () => saveApproved(deps, request));
    else if (approvals.followUps.isDueForAnnouncement(request)) background.run('tell an approval outcome', () => announceOutcome(deps, request));
  };

  const decide = (decision: Decision): CardAction => async (context, data) => {
    const parsed = dataSchema.safeParse(data);
    if (!parsed.success) return notFound(context);
    const actor = verifiedPerson(context.activity);
    const clickedIn = baseConversationId(context.activity.conversation.id);
    const outcome = await approvals.decide(parsed.data.requestId, actor, decision, parsed.data.comment, clickedIn);
    switch (outcome.kind) {
      case 'notFound':
        return notFound(context);
      case 'refused':
        deps.logger?.info({ requestId: outcome.request.id, actor: actor?.aadObjectId, decision }, 'schedule decision refused');
        return { card: viewFor(context, outcome.request, outcome.reason), text: replyText(context, outcome.reason) };
      case 'alreadyDecided': {
        catchUp(outcome.request);
        const notice = said('approval.alreadyDecided', { by: outcome.request.decidedBy?.name ?? said('approval.an'), status: outcome.request.status });
        return { card: approvalDecidedCard(outcome.request, notice, wordsOf(context)), text: replyText(context, notice) };
      }
      case 'expired':
        catchUp(outcome.request);
        return { card: approvalDecidedCard(outcome.request, undefined, wordsOf(context)), text: replyText(context, 'approval.expiredClick') };
      case 'decided': {
        background.run('after a schedule decision', () => afterDecision(outcome.request));
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
    catchUp(request);
    return { card: viewFor(context, request), text: request.status === 'pending' ? replyText(context, 'approval.waiting') : replyText(context, 'approval.was', { status: request.status }) };
  };

  return { [VERBS.approveSchedule]: decide('approve'), [VERBS.rejectSchedule]: decide('reject'), [VERBS.refreshApproval]: refresh };
}
