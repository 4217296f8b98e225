import type { DataIntegration } from '../integration/port';
import type { Person } from '../person';
import { type ApprovalRequest, followUpOf } from './approvalRequest';
import type { AnnouncementEnd, ApprovalStore, SchedulingResult } from './approvalStore';
import { type Attempt, reasonOf, saveSchedule, type SignIns } from './scheduleSaving';
import { said, type Said } from '../words/words';

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

/** Who paused a project's schedule through the bot, and when (undefined: its last choice was a resume, or none was made here). */
export type WhoPaused = (projectName: string) => Promise<{ by?: Person; at: string } | undefined>;

/** What a decision leaves the bot to do (its `FollowUp`): save the approved schedule, tell the outcome, each claimed once. */
export class ApprovalFollowUps {
  // Claimed across instances and restarts: a claim whose instance stopped is taken over by the sweep after STALE_CLAIM_MS.
  constructor(private readonly store: ApprovalStore, private readonly now: () => Date, private readonly whoPaused: WhoPaused) {}

  /**
   * Saves an approved request's schedule at the service, once; the slow part, run after the click is answered,
   * or by the sweep for a request whose save never ended. Undefined when another caller holds the claim. A refusal by
   * the service is final; no answer, or nobody's sign-in (`integration` undefined), leaves the request to be tried
   * again (`isDueForSaving`), for SAVE_FOR_HOURS after the decision, and then ends it saying so. The requester's
   * sign-in is tried first, then the approver's (see saveSchedule).
   */
  async applyApproval(requestId: string, signIns: SignIns): Promise<ApprovalRequest | undefined> {
    const claimedAt = this.now().toISOString();
    if (!(await this.store.claimScheduling(requestId, claimedAt, this.staleBefore()))) return undefined;
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
    return (await this.store.claimAnnouncement(id, this.now().toISOString(), this.staleBefore())) ? this.store.get(id) : undefined;
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

  /** A claim made before this moment is stale: its instance stopped. */
  private staleBefore(): string {
    return new Date(this.now().getTime() - STALE_CLAIM_MS).toISOString();
  }

  /** An attempt that did not save: tried again later, or ended once SAVE_FOR_HOURS have passed since the decision. */
  private settle(request: ApprovalRequest, attempt: Attempt): SchedulingResult {
    if (attempt.state !== 'notSaved') return attempt;
    const until = new Date(Date.parse(request.decidedAt ?? request.requestedAt) + SAVE_FOR_HOURS * 3_600_000);
    if (until <= this.now()) return { state: 'failed', gaveUp: true, message: said('approval.stoppedTrying', { why: attempt.why, hours: SAVE_FOR_HOURS }) };
    return { state: 'retry', message: said('approval.notSavedYet', { why: attempt.why, until: { moment: until.toISOString() } }) };
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
}
