import { randomUUID } from 'node:crypto';
import type { DataIntegration, Recurrence } from '../integration/port';
import type { Person } from '../person';
import { ApprovalPolicy, Decision, eligibleApprovers, mayDecide, REFUSALS, Verdict } from './approvalPolicy';
import { ApprovalRequest, AuditEntry, CardLocation, followUpOf, MAX_COMMENT_LENGTH, ScheduleChoice } from './approvalRequest';
import { AnnouncementEnd, ApprovalStore, SchedulingResult } from './approvalStore';
import { Attempt, reasonOf, saveSchedule, type SignIns } from './scheduleSaving';
import { recordApproval } from '../telemetry/recorders';
import { countScheduledProjects, limitWarning } from './scheduleLimit';
import { said, type Said } from '../words/words';

/** What a schedule request needs. */
export interface ScheduleRequestInput {
  projectName: string;
  recurrence: Recurrence;
  requestedBy: Person;
  /** The conversation it is asked in (base id). */
  conversationId: string;
  /** Teams user ids (MRIs) of the approvers, for the per-person view of the card. */
  approverUserIds?: string[];
  /** Names of the approvers, for "Waiting for …" on the requester's card. */
  approverNames?: string[];
  /** The channel thread it is asked in, if any. */
  threadActivityId?: string;
  /** The requester's language and time zone, for what the bot tells her later. */
  requestedIn?: ApprovalRequest['requestedIn'];
}

/** What came of asking for a schedule. */
export type RequestOutcome =
  | { kind: 'requested'; request: ApprovalRequest; approvers: string[] }
  | { kind: 'alreadyPending'; request: ApprovalRequest }
  | { kind: 'noApprovers' }
  | { kind: 'notRecurring' }
  | { kind: 'projectNotFound'; projectName: string };

/** What came of a click on Approve or Reject. Only `decided` changed anything. */
export type DecideOutcome =
  | { kind: 'decided'; request: ApprovalRequest }
  | { kind: 'refused'; reason: Said; request: ApprovalRequest }
  | { kind: 'alreadyDecided'; request: ApprovalRequest }
  | { kind: 'expired'; request: ApprovalRequest }
  | { kind: 'notFound' };

/**
 * A claim to save a schedule, or to tell an outcome, older than this is taken over: its instance stopped. A telling
 * renews its claim once its cards are updated, as a throttled connector can stretch those to minutes (about 3.5 a
 * copy); what is left, one message to the requester, fits well within it.
 */
export const STALE_CLAIM_MS = 5 * 60_000;
/**
 * How many times the telling of an outcome is claimed before a telling that failed for a passing reason (the Bot
 * Connector down or throttling past its retries) is given up: one claim every STALE_CLAIM_MS or so, about an hour.
 */
export const ANNOUNCE_ATTEMPTS = 12;
/** How long after the decision a schedule that got no answer, or nobody's sign-in, is tried again before the bot gives up. */
export const SAVE_FOR_HOURS = 6;

/** The wait before attempt `attempts + 1`: 1, 2, 4, 8, then every 15 minutes. */
function retryDelayMs(attempts: number): number {
  return attempts === 0 ? 0 : Math.min(2 ** (attempts - 1), 15) * 60_000;
}

/** Dependencies and settings of the approval service. */
export interface ApprovalServiceOptions {
  store: ApprovalStore;
  policy: ApprovalPolicy;
  ttlHours: number;
  now?: () => Date;
  newId?: () => string;
}

/** Schedule approvals: request, decide once, save the schedule, expire, and the audit trail. No Teams here. */
export class ApprovalService {
  private readonly store: ApprovalStore;
  /** The service's clock: what "now" is for its requests, and for the cards that show them. */
  readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  get policy(): ApprovalPolicy {
    return this.options.policy;
  }

  /**
   * Creates a pending request, with a warning when the tenant's limit is near; when the project already has one,
   * even one asked by someone else a moment ago, answers `alreadyPending` with it.
   */
  async request(input: ScheduleRequestInput, integration: DataIntegration): Promise<RequestOutcome> {
    if (input.recurrence.kind !== 'recurring') return { kind: 'notRecurring' };
    const approvers = eligibleApprovers(this.options.policy, input.requestedBy.aadObjectId);
    if (approvers.length === 0) return { kind: 'noApprovers' };
    const projects = await integration.listProjects();
    const wanted = input.projectName.trim().toLowerCase();
    const project = projects.find((p) => p.name.toLowerCase() === wanted || p.displayName.toLowerCase() === wanted);
    if (!project) return { kind: 'projectNotFound', projectName: input.projectName };
    const pending = await this.pending(project.name);
    if (pending) return { kind: 'alreadyPending', request: pending };

    const others = await countScheduledProjects(integration, projects.filter((p) => p.name !== project.name));
    const now = this.now();
    const request: ApprovalRequest = {
      id: this.newId(),
      projectName: project.name,
      recurrence: input.recurrence,
      requestedBy: input.requestedBy,
      conversationId: input.conversationId,
      status: 'pending',
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.ttlHours * 3_600_000).toISOString(),
      approverUserIds: input.approverUserIds ?? [],
      approverNames: input.approverNames,
      threadActivityId: input.threadActivityId,
      requestedIn: input.requestedIn,
      limitWarning: limitWarning(others),
    };
    // Asked by someone else meanwhile (the check above is only a shortcut): the store lets one request through.
    const first = await this.store.createUnlessPending(request, request.requestedAt);
    if (first) return { kind: 'alreadyPending', request: first };
    recordApproval('requested');
    return { kind: 'requested', request, approvers };
  }

  /** Takes an approver's decision once: the first click wins, later and concurrent ones are told. */
  async decide(requestId: string, actor: Person | undefined, decision: Decision, comment?: string, clickedIn?: string): Promise<DecideOutcome> {
    const request = await this.current(requestId);
    if (!request) return { kind: 'notFound' };
    if (request.status === 'expired') return { kind: 'expired', request };
    if (request.status !== 'pending') return { kind: 'alreadyDecided', request };
    const verdict = this.verdict(request, actor, decision);
    if (!verdict.allowed || !actor) return { kind: 'refused', reason: verdict.allowed ? REFUSALS.unknownActor : verdict.reason, request };
    const status = decision === 'approve' ? 'approved' : 'rejected';
    const decided = await this.store.decide(requestId, { status, by: actor, at: this.now().toISOString(), comment: cleanComment(comment), in: clickedIn });
    const after = (await this.current(requestId))!;
    if (decided) recordApproval(status);
    if (decided) return { kind: 'decided', request: after };
    return after.status === 'expired' ? { kind: 'expired', request: after } : { kind: 'alreadyDecided', request: after };
  }

  /** Whether `actor` may take `decision` on the request (for the per-person view of its card). */
  verdict(request: ApprovalRequest, actor: Pick<Person, 'aadObjectId'> | undefined, decision: Decision): Verdict {
    return mayDecide(this.options.policy, actor?.aadObjectId, request.requestedBy.aadObjectId, decision);
  }

  /**
   * Saves an approved request's schedule at the service, once; the slow part, run after the click is answered,
   * or by the sweep for a request whose save never ended. Undefined when another caller holds the claim. A refusal by
   * the service is final; no answer, or nobody's sign-in (`integration` undefined), leaves the request to be tried
   * again (`isDueForSaving`), for SAVE_FOR_HOURS after the decision, and then ends it saying so. The requester's
   * sign-in is tried first, then the approver's (see saveSchedule).
   */
  async applyApproval(requestId: string, signIns: SignIns): Promise<ApprovalRequest | undefined> {
    const claimedAt = this.now().toISOString();
    const staleBefore = new Date(this.now().getTime() - STALE_CLAIM_MS).toISOString();
    if (!(await this.store.claimScheduling(requestId, claimedAt, staleBefore))) return undefined;
    const request = (await this.store.get(requestId))!;
    const attempt = await saveSchedule(request, signIns, (name, resumed) => this.keepPaused(name, resumed));
    await this.store.finishScheduling(requestId, this.settle(request, attempt), this.now().toISOString(), claimedAt);
    return this.store.get(requestId);
  }

  /** Whether an approved request is due for (another) attempt to save its schedule now. */
  isDueForSaving(request: ApprovalRequest): boolean {
    if (followUpOf(request) !== 'save') return false;
    const last = request.scheduleClaimedAt ? Date.parse(request.scheduleClaimedAt) : 0;
    const wait = request.scheduleState === 'applying' ? STALE_CLAIM_MS : retryDelayMs(request.scheduleAttempts ?? 0);
    return last + wait <= this.now().getTime();
  }

  /** Approved requests whose schedule is due to be saved: never tried, tried a while ago without an answer, or claimed by an instance that stopped. */
  async dueForSaving(): Promise<ApprovalRequest[]> {
    return (await this.store.dueForFollowUp('save')).filter((r) => this.isDueForSaving(r));
  }

  /** Requests whose outcome (rejected, expired, saved or not) is to be told now: nobody claimed it, or its claim ran out untold. */
  async dueForAnnouncement(): Promise<ApprovalRequest[]> {
    return (await this.store.dueForFollowUp('announce')).filter((r) => this.isDueForAnnouncement(r));
  }

  /** Whether a request's outcome is to be told now (a claim still running is left to its instance). */
  isDueForAnnouncement(request: ApprovalRequest): boolean {
    if (!request.toAnnounce) return false;
    return !request.announceClaimedAt || Date.parse(request.announceClaimedAt) + STALE_CLAIM_MS <= this.now().getTime();
  }

  /**
   * Claims the telling of a request's outcome: the request as claimed for exactly one caller (across instances and
   * restarts), undefined for the others. A claim that is not finished is taken over after STALE_CLAIM_MS.
   */
  async claimAnnouncement(id: string): Promise<ApprovalRequest | undefined> {
    const at = this.now().toISOString();
    const staleBefore = new Date(this.now().getTime() - STALE_CLAIM_MS).toISOString();
    return (await this.store.claimAnnouncement(id, at, staleBefore)) ? this.store.get(id) : undefined;
  }

  /** Whether this claim of a telling is its last: one that fails for a passing reason ends it untold. */
  isLastAnnouncement(claimed: ApprovalRequest): boolean {
    return (claimed.announceAttempts ?? 0) >= ANNOUNCE_ATTEMPTS;
  }

  /**
   * Renews the claim of a telling before its requester is told: the request as claimed anew, or undefined when the
   * claim no longer holds (the cards took longer than STALE_CLAIM_MS, and the sweep took the telling over).
   */
  async renewAnnouncement(claimed: ApprovalRequest): Promise<ApprovalRequest | undefined> {
    const at = this.now().toISOString();
    if (!claimed.announceClaimedAt || !(await this.store.renewAnnouncement(claimed.id, claimed.announceClaimedAt, at))) return undefined;
    return { ...claimed, announceClaimedAt: at };
  }

  /** Records how the telling claimed in `claimed` ended (nothing, if its claim was taken over meanwhile). */
  async finishAnnouncement(claimed: ApprovalRequest, end: AnnouncementEnd): Promise<void> {
    if (claimed.announceClaimedAt) await this.store.finishAnnouncement(claimed.id, end, this.now().toISOString(), claimed.announceClaimedAt);
  }

  /** An attempt that did not save: tried again later, or ended once SAVE_FOR_HOURS have passed since the decision. */
  private settle(request: ApprovalRequest, attempt: Attempt): SchedulingResult {
    if (attempt.state !== 'notSaved') return attempt;
    const until = new Date(Date.parse(request.decidedAt ?? request.requestedAt) + SAVE_FOR_HOURS * 3_600_000);
    if (until <= this.now()) return { state: 'failed', gaveUp: true, message: said('approval.stoppedTrying', { why: attempt.why, hours: SAVE_FOR_HOURS }) };
    return { state: 'retry', message: said('approval.notSavedYet', { why: attempt.why, until: { moment: until.toISOString() } }) };
  }

  /** Records a pause or a resume as the person chose it, so that a later approval keeps it and can say who. */
  async recordChoice(projectName: string, action: ScheduleChoice['action'], actor: Person | undefined): Promise<void> {
    await this.store.recordChoice({ projectName, action, actor, at: this.now().toISOString() });
  }

  /**
   * An approval sets how often a project runs, not whether it runs: a project someone paused is paused
   * again after the service saved the schedule (which resumes it), and the request remembers who paused it.
   */
  private async keepPaused(projectName: string, resumedBySaving: DataIntegration | undefined): Promise<{ keptPaused?: ApprovalRequest['keptPaused']; message?: Said }> {
    const pausedBy = (await this.whoPaused(projectName)) ?? {};
    try {
      await resumedBySaving?.pauseSchedule(projectName);
      return { keptPaused: pausedBy };
    } catch (err) {
      return { message: said('approval.notKeptPaused', { why: { long: reasonOf(err).replace(/\.$/, '') } }) };
    }
  }

  /** Who paused the project's schedule through the bot, and when; undefined when its last choice was a resume, or none was made here. */
  async whoPaused(projectName: string): Promise<{ by?: Person; at: string } | undefined> {
    const last = (await this.store.history(projectName, 50)).find((e) => e.action === 'paused' || e.action === 'resumed');
    return last?.action === 'paused' ? { by: last.actor, at: last.at } : undefined;
  }

  /** The request as it stands now: a pending one past its expiry is expired on the way. */
  async current(requestId: string): Promise<ApprovalRequest | undefined> {
    const request = await this.store.get(requestId);
    if (request?.status === 'pending' && request.expiresAt <= this.now().toISOString()) {
      if (await this.store.expire(requestId, this.now().toISOString())) recordApproval('expired');
      return this.store.get(requestId);
    }
    return request;
  }

  /** Expires every pending request past its expiry; returns those it expired. */
  async expireDue(): Promise<ApprovalRequest[]> {
    const at = this.now().toISOString();
    const expired: ApprovalRequest[] = [];
    for (const r of await this.store.dueForExpiry(at)) {
      if (await this.store.expire(r.id, at)) expired.push((await this.store.get(r.id))!);
    }
    recordApproval('expired', expired.length);
    return expired;
  }

  /** Takes the one reminder of a request: true for exactly one caller, across instances and restarts. */
  claimReminder(id: string): Promise<boolean> {
    return this.store.claimReminder(id, this.now().toISOString());
  }

  /** Pending requests past half their time to live whose approvers have not been reminded yet. */
  async dueForReminder(): Promise<ApprovalRequest[]> {
    const now = this.now();
    const halfTtl = new Date(now.getTime() + (this.options.ttlHours * 3_600_000) / 2).toISOString();
    return (await this.store.dueForExpiry(halfTtl)).filter((r) => r.expiresAt > now.toISOString() && !r.remindedAt);
  }

  /** A project's pending request, if any (expired ones are expired first). */
  async pending(projectName: string): Promise<ApprovalRequest | undefined> {
    const request = await this.store.pendingFor(projectName);
    return request && (await this.current(request.id))?.status === 'pending' ? request : undefined;
  }

  /** Remembers a message that shows the request, to update it when the request changes. */
  recordCard(requestId: string, location: CardLocation): Promise<void> {
    return this.store.addCard(requestId, location);
  }

  /** The messages that show the request. */
  cards(requestId: string): Promise<CardLocation[]> {
    return this.store.cards(requestId);
  }

  /** The approval history of a project, newest first. */
  history(projectName: string, limit?: number): Promise<AuditEntry[]> {
    return this.store.history(projectName, limit);
  }
}

function cleanComment(comment: string | undefined): string | undefined {
  const trimmed = comment?.trim().slice(0, MAX_COMMENT_LENGTH);
  return trimmed ? trimmed : undefined;
}
