import type { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import type { ApprovalService } from '../../scheduleApprovals/approvalService';
import type { Logger } from '../../logger';
import type { Person } from '../../person';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import type { ProjectWatches } from '../runs/projectWatches';
import type { IntegrationForPerson } from '../integrationSource';
import { recurrenceWords } from '../../recurrence/recurrence';
import { approvalCard, askAgainCommand } from '../../render/approvalCards';
import { cardMessage } from '../../render/cardRenderer';
import { keptPausedText } from '../../integration/errorCatalogue';
import { mentionText, said, wordsFor, type Said } from '../../words/words';

/** What saving an approved schedule and telling a request's outcome need. */
export interface OutcomeDeps {
  approvals: ApprovalService;
  sender: Pick<ProactiveSender, 'send' | 'update'>;
  integrationFor: IntegrationForPerson;
  logger?: Logger;
  /** Told once an approved schedule is set, so the run watcher reads it again. */
  onScheduleChanged?: (projectName: string) => void;
  /** Sends the project's run alerts to where its schedule was asked for and approved. */
  watches?: Pick<ProjectWatches, 'forRequest'>;
}

/** Updates every copy of a request's card (the channel's and each approver's) to how the request stands. */
export async function updateApprovalCards(deps: Pick<OutcomeDeps, 'approvals' | 'sender'>, request: ApprovalRequest): Promise<void> {
  const card = approvalCard(request, { viewer: 'everyone', approverUserIds: request.approverUserIds, now: deps.approvals.now() }, wordsFor(request.requestedIn));
  const activity = cardMessage(card);
  for (const card of await deps.approvals.cards(request.id)) await deps.sender.update(card.conversationId, card.activityId, activity);
}

/** Tells the requester, with an @mention, in the thread of the request's card (or her chat), in her language. */
export async function tellRequester(deps: Pick<OutcomeDeps, 'approvals' | 'sender'>, request: ApprovalRequest, what: Said): Promise<void> {
  const who = request.requestedBy;
  const thread = (await deps.approvals.cards(request.id)).find((c) => c.conversationId === request.conversationId);
  await deps.sender.send({ conversationId: request.conversationId, replyToId: thread?.activityId }, {
    type: 'message',
    text: wordsFor(request.requestedIn).reply('approval.tell', { mention: who.userId ? { mention: who.name } : who.name, what }),
    entities: who.userId ? [{ type: 'mention', text: mentionText(who.name), mentioned: { id: who.userId, name: who.name } }] : undefined,
  });
}

/**
 * Saves an approved request's schedule (claimed once across instances) with the requester's sign-in, else the
 * approver's, then shows what came of it: the outcome told once, or the cards saying why it waits. The click and
 * the sweep both come here; `shownFirst` is the click's update of the cards, which the outcome must follow.
 */
export async function saveApproved(deps: OutcomeDeps, request: ApprovalRequest, shownFirst?: Promise<unknown>): Promise<void> {
  const integration = (await clientOf(deps, request.requestedBy, request.conversationId))
    ?? (request.decidedBy && (await clientOf(deps, request.decidedBy, request.decidedIn ?? request.conversationId)));
  const applied = await deps.approvals.applyApproval(request.id, integration);
  await shownFirst;
  if (!applied) return; // another click, or another instance, holds the claim
  deps.logger?.info({ requestId: applied.id, project: applied.projectName, scheduleState: applied.scheduleState ?? 'waiting', attempts: applied.scheduleAttempts }, 'approved schedule save attempted');
  if (applied.scheduleState === undefined) return showWaiting(deps, applied);
  deps.onScheduleChanged?.(applied.projectName);
  await announceOutcome(deps, applied);
}

/**
 * Tells a request's outcome (rejected, expired, saved or not) once, wherever it came about (a click, "status", the
 * sweep): every copy of its card, then the requester. The claim is taken first, so it is never told twice.
 */
export async function announceOutcome(deps: OutcomeDeps, request: ApprovalRequest): Promise<void> {
  if (!(await deps.approvals.claimAnnouncement(request.id))) return;
  await updateApprovalCards(deps, request).catch((err: unknown) => deps.logger?.warn({ err, requestId: request.id }, 'approval cards not updated'));
  const watched = request.scheduleState === 'set' && deps.watches !== undefined;
  if (watched) await deps.watches!.forRequest(request);
  const text = outcomeText(request);
  await tellRequester(deps, request, watched ? said('approval.alertsHere', { text }) : text);
}

/** Not saved this time: the cards say why and until when it is tried; the requester hears it after the first attempt. */
async function showWaiting(deps: OutcomeDeps, request: ApprovalRequest): Promise<void> {
  await updateApprovalCards(deps, request);
  if (request.scheduleAttempts === 1 && request.scheduleMessage) {
    await tellRequester(deps, request, said('approval.approvedWaiting', { ...about(request), then: request.scheduleMessage }));
  }
}

async function clientOf(deps: OutcomeDeps, owner: Person, conversationId: string) {
  return deps.integrationFor({ owner, conversationId }).catch(() => undefined);
}

const about = (request: ApprovalRequest) => ({
  by: request.decidedBy?.name ?? said('approval.an'),
  project: request.projectName,
  recurrence: recurrenceWords(request.recurrence),
  comment: request.comment ? said('approval.comment', { comment: { long: request.comment } }) : said('approval.noComment'),
});

/** What the requester is told of the outcome: expired, rejected, or approved and what the service did with it. */
function outcomeText(request: ApprovalRequest): Said {
  const { by, project, comment } = about(request);
  if (request.status === 'expired') return said('approval.expiredTell', { project });
  if (request.status === 'rejected') return said('approval.rejectedBy', { by, project, comment });
  const reason = request.scheduleMessage ?? said('approval.noReason');
  if (request.scheduleState === 'failed' && request.scheduleGaveUp) return said('approval.approvedNotSaved', { by, project, comment, reason, command: askAgainCommand(request) });
  if (request.scheduleState === 'failed') return said('approval.approvedRefused', { by, project, reason });
  const then = request.keptPaused ? keptPausedText(request.keptPaused.by?.name, request.keptPaused.at) : request.scheduleMessage;
  if (then) return said('approval.approvedByThen', { ...about(request), then });
  return request.scheduledNextRunAt ? said('approval.approvedByNext', { ...about(request), next: { moment: request.scheduledNextRunAt } }) : said('approval.approvedBy', about(request));
}
