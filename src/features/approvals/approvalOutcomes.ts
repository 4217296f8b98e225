import { type ApprovalRequest, runsReadBy } from '../../scheduleApprovals/approvalRequest';
import type { ApprovalService } from '../../scheduleApprovals/approvalService';
import type { Logger } from '../../logger';
import { type Person, sameAadId } from '../../person';
import type { DeliveryResult, ProactiveSender } from '../../notifications/proactiveSender';
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

/**
 * Updates every copy of a request's card (the channel's and each approver's) to how the request stands: `again` when
 * a copy was not updated for a passing reason (the connector down or throttling), `done` otherwise (a copy deleted, or
 * in a conversation that is gone, has nothing left to update).
 */
export async function updateApprovalCards(deps: Pick<OutcomeDeps, 'approvals' | 'sender'>, request: ApprovalRequest): Promise<'done' | 'again'> {
  const card = approvalCard(request, { viewer: 'everyone', approverUserIds: request.approverUserIds, now: deps.approvals.now() }, wordsFor(request.requestedIn));
  const activity = cardMessage(card);
  let left = false;
  for (const card of await deps.approvals.cards(request.id)) {
    if (passing(await deps.sender.update(card.conversationId, card.activityId, activity))) left = true;
  }
  return left ? 'again' : 'done';
}

/** Tells the requester, with an @mention, in the thread of the request's card (or her chat), in her language. */
export async function tellRequester(deps: Pick<OutcomeDeps, 'approvals' | 'sender'>, request: ApprovalRequest, what: Said): Promise<DeliveryResult> {
  const who = request.requestedBy;
  const thread = (await deps.approvals.cards(request.id)).find((c) => c.conversationId === request.conversationId);
  return deps.sender.send({ conversationId: request.conversationId, replyToId: thread?.activityId }, {
    type: 'message',
    text: wordsFor(request.requestedIn).reply('approval.tell', { mention: who.userId ? { mention: who.name } : who.name, what }),
    entities: who.userId ? [{ type: 'mention', text: mentionText(who.name), mentioned: { id: who.userId, name: who.name } }] : undefined,
  });
}

/**
 * Saves an approved request's schedule (claimed once across instances) with the requester's sign-in, else the
 * approver's (also when the service refuses hers), then shows what came of it: the outcome told, or the cards saying
 * why it waits. The click and the sweep both come here; `shownFirst` is the click's update of the cards, which the
 * outcome must follow.
 */
export async function saveApproved(deps: OutcomeDeps, request: ApprovalRequest, shownFirst?: Promise<unknown>): Promise<void> {
  const requester = await clientOf(deps, request.requestedBy, request.conversationId);
  const approver = async () => (request.decidedBy ? clientOf(deps, request.decidedBy, request.decidedIn ?? request.conversationId) : undefined);
  const applied = await deps.approvals.followUps.applyApproval(request.id, { requester, approver });
  await shownFirst;
  if (!applied) return; // another click, or another instance, holds the claim
  const signIn = applied.scheduleSignIn && { of: applied.scheduleSignIn.by.aadObjectId, insteadOfRequester: applied.scheduleSignIn.insteadOfRequester };
  deps.logger?.info({ requestId: applied.id, project: applied.projectName, scheduleState: applied.scheduleState ?? 'waiting', attempts: applied.scheduleAttempts, signIn }, 'approved schedule save attempted');
  if (applied.scheduleState === undefined) return showWaiting(deps, applied);
  deps.onScheduleChanged?.(applied.projectName);
  await announceOutcome(deps, applied);
}

/**
 * Tells a request's outcome (rejected, expired, saved or not) wherever it came about (a click, "status", the sweep):
 * every copy of its card, then the requester. The telling is claimed first, so two callers never both tell it, and
 * marked done once the requester was told: a telling whose instance stopped before that, or whose message did not
 * go out for a passing reason, is taken over by the sweep a few minutes later (ANNOUNCE_ATTEMPTS times at most).
 * The claim is renewed between the cards and the requester's message, and a telling taken over meanwhile stops there.
 * So the requester is told once, and at least once after a crash (twice only if it came between the send and the
 * mark). A conversation that is gone, or a refusal for good, ends the telling with a log line.
 */
export async function announceOutcome(deps: OutcomeDeps, request: ApprovalRequest): Promise<void> {
  const claimed = await deps.approvals.followUps.claimAnnouncement(request.id);
  if (!claimed) return;
  const log = { requestId: claimed.id, project: claimed.projectName, attempt: claimed.announceAttempts };
  const cards = await updateApprovalCards(deps, claimed).catch((err: unknown) => {
    deps.logger?.warn({ ...log, err }, 'approval cards not updated');
    return 'again' as const;
  });
  // A throttled connector can make the cards outlast the claim: the sweep then took the telling over, and tells her itself.
  const held = await deps.approvals.followUps.renewAnnouncement(claimed);
  if (!held) {
    deps.logger?.info(log, 'approval outcome left to the instance that took its telling over');
    return;
  }
  const told: DeliveryResult = held.requesterToldAt ? { status: 'sent' } : await tellOutcome(deps, held).catch((err: unknown) => ({ status: 'failed', reason: String(err), unavailable: true }));
  const last = deps.approvals.followUps.isLastAnnouncement(held);
  if (passing(told) && !last) {
    deps.logger?.warn({ ...log, reason: told.status === 'failed' ? told.reason : undefined }, 'approval outcome not told yet: tried again in a few minutes');
    return; // the claim runs out, and the sweep takes it over
  }
  if (told.status !== 'sent') {
    deps.logger?.warn({ ...log, reason: told.reason, gaveUp: passing(told) }, 'approval outcome not told: the conversation is gone, the connector refused it, or it failed too often');
    return deps.approvals.followUps.finishAnnouncement(held, 'notTold');
  }
  await deps.approvals.followUps.finishAnnouncement(held, cards === 'again' && !last ? 'requesterTold' : 'told');
}

/**
 * The outcome told to the requester; the run alerts of a schedule saved go to where it was asked for from now on, and
 * when its runs are read with the approver's sign-in (hers could not save it), she is told so.
 */
async function tellOutcome(deps: OutcomeDeps, request: ApprovalRequest): Promise<DeliveryResult> {
  const watched = request.scheduleState === 'set' && deps.watches !== undefined;
  if (watched) await deps.watches!.forRequest(request);
  const text = outcomeText(request);
  if (!watched) return tellRequester(deps, request, text);
  const owner = runsReadBy(request);
  const alerts = sameAadId(owner.aadObjectId, request.requestedBy.aadObjectId) ? said('approval.alertsHere', { text }) : said('approval.alertsHereWith', { text, owner: owner.name });
  return tellRequester(deps, request, alerts);
}

/** A delivery that failed for a reason that may pass (the connector down or throttling past the sender's retries). */
function passing(result: DeliveryResult): boolean {
  return result.status === 'failed' && result.unavailable === true;
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

/** What the requester is told of the outcome, and whose sign-in the service was asked with when it was not hers. */
function outcomeText(request: ApprovalRequest): Said {
  const text = decisionText(request);
  const used = request.scheduleSignIn;
  if (!used?.insteadOfRequester) return text;
  return said('approval.usedApproverSignIn', { text, approver: used.by.name, why: used.insteadOfRequester });
}

/** Expired, rejected, or approved and what the service did with it. */
function decisionText(request: ApprovalRequest): Said {
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
