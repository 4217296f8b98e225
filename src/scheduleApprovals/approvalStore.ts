import type { Person } from '../person';
import { ApprovalRequest, AuditEntry, CardLocation, FollowUp, ScheduleChoice, ScheduleState, SignInUsed } from './approvalRequest';
import { recurrenceWords } from '../recurrence/recurrence';
import { said, type Said } from '../words/words';

/** A decision to record. */
export interface DecisionInput {
  status: 'approved' | 'rejected';
  by: Person;
  at: string;
  comment?: string;
  /** The conversation it was clicked in (base id). */
  in?: string;
}

/** What saving an approved schedule came to; `signIn`: whose sign-in the attempt that settled it used. */
export type SchedulingResult =
  /** `message` on a saved schedule is a warning: it was saved, but not kept paused as it was. */
  | { state: Extract<ScheduleState, 'set'>; nextRunAt?: string; message?: Said; keptPaused?: ApprovalRequest['keptPaused']; signIn?: SignInUsed }
  /** `gaveUp`: no answer for too long, as opposed to a refusal by the service. */
  | { state: Extract<ScheduleState, 'failed'>; message: Said; gaveUp?: boolean; nextRunAt?: undefined; keptPaused?: undefined; signIn?: SignInUsed }
  /** Not saved this time (no answer, nobody signed in): the request waits to be tried again, `message` says why. */
  | { state: 'retry'; message: Said; nextRunAt?: undefined; keptPaused?: undefined; signIn?: undefined };

/**
 * How a claimed telling of an outcome ended: `told` (the requester and every card), `requesterTold` (a card is left
 * to update: the telling stays due, and its next attempt updates the cards only), or `notTold` (it cannot be told:
 * the conversation is gone, the connector refused it for good, or it failed too many times).
 */
export type AnnouncementEnd = 'told' | 'requesterTold' | 'notTold';

/**
 * Schedule requests, the cards that show them, and their audit trail. Every transition is
 * conditional on the state it starts from, so two clicks at the same moment, in this process
 * or another instance, change a request once. SQLite and Azure Tables implement it.
 */
export interface ApprovalStore {
  /**
   * Creates a pending request, with its first audit entry, unless its project already has a pending request not
   * expired at `now`: that one is returned then, and nothing is written (undefined: created). Atomic across
   * callers and instances, so a project has at most one open request however many people ask at once.
   */
  createUnlessPending(request: ApprovalRequest, now: string): Promise<ApprovalRequest | undefined>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** The pending request of a project, if any (of several, one past its expiry not yet marked: the one that expires last). */
  pendingFor(projectName: string): Promise<ApprovalRequest | undefined>;
  /** Records the decision if the request is still pending and not expired at `decision.at`; false otherwise. */
  decide(id: string, decision: DecisionInput): Promise<boolean>;
  /** Marks a pending request expired once `at` is past its expiry; false when it was decided or is not due. */
  expire(id: string, at: string): Promise<boolean>;
  /** Pending requests whose expiry has passed at `at`. */
  dueForExpiry(at: string): Promise<ApprovalRequest[]>;
  /** Marks the one reminder of a pending request as sent; false when it was already (on this or another instance). */
  claimReminder(id: string, at: string): Promise<boolean>;
  /**
   * Claims an approved request for saving its schedule at `at`: true for exactly one caller. A request waiting
   * to be saved can be claimed, and so can a claim taken at or before `staleBefore` (its instance stopped).
   */
  claimScheduling(id: string, at: string, staleBefore: string): Promise<boolean>;
  /** Records what came of the attempt claimed at `claimedAt` (if that claim still holds): saved, refused, or to try again. */
  finishScheduling(id: string, result: SchedulingResult, at: string, claimedAt: string): Promise<void>;
  /** Requests that wait for a follow-up: their schedule saved, or their outcome told. */
  dueForFollowUp(followUp: FollowUp): Promise<ApprovalRequest[]>;
  /**
   * Claims the telling of a request's outcome at `at`: true for exactly one caller. An outcome not told yet can be
   * claimed, and so can a claim taken at or before `staleBefore` and not finished (its instance stopped, or the
   * message did not go out): the telling is resumed, so an outcome is told at least once.
   */
  claimAnnouncement(id: string, at: string, staleBefore: string): Promise<boolean>;
  /**
   * Renews the telling claimed at `claimedAt` to `at`, only if that claim still holds: true then. False when it was
   * taken over (a slow telling's claim ran out) or finished: its caller must not tell the requester.
   */
  renewAnnouncement(id: string, claimedAt: string, at: string): Promise<boolean>;
  /** Records how the telling claimed at `claimedAt` ended (if that claim still holds). */
  finishAnnouncement(id: string, end: AnnouncementEnd, at: string, claimedAt: string): Promise<void>;
  addCard(requestId: string, location: CardLocation): Promise<void>;
  cards(requestId: string): Promise<CardLocation[]>;
  /** Records who paused or resumed a project's schedule, in the project's trail. */
  recordChoice(choice: ScheduleChoice): Promise<void>;
  /** The audit trail of a project, newest first. */
  history(projectName: string, limit?: number): Promise<AuditEntry[]>;
}

type AuditFields = Omit<AuditEntry, 'requestId' | 'projectName'>;

/** One guarded change of a request: when it applies, what it makes of the request, what the trail records. */
export interface Transition {
  applies(request: ApprovalRequest): boolean;
  change(request: ApprovalRequest): ApprovalRequest;
  audit?: AuditFields;
}

/** The transitions of a request, shared by every backend so that they guard alike. */
export const transitions = {
  decide: ({ status, by, at, comment, in: decidedIn }: DecisionInput): Transition => ({
    applies: (r) => r.status === 'pending' && r.expiresAt > at,
    // A rejection is told at once; an approval once its schedule is saved (or not).
    change: (r) => ({ ...r, status, decidedBy: by, decidedAt: at, decidedIn, comment, toAnnounce: status === 'rejected' || undefined }),
    audit: { action: status, actor: by, comment, at },
  }),
  expire: (at: string): Transition => ({
    applies: (r) => r.status === 'pending' && r.expiresAt <= at,
    change: (r) => ({ ...r, status: 'expired', decidedAt: at, toAnnounce: true }),
    audit: { action: 'expired', at },
  }),
  remind: (at: string): Transition => ({
    applies: (r) => r.status === 'pending' && r.remindedAt === undefined,
    change: (r) => ({ ...r, remindedAt: at }),
  }),
  claimScheduling: (at: string, staleBefore: string): Transition => ({
    applies: (r) => r.status === 'approved' && (r.scheduleState === undefined || (r.scheduleState === 'applying' && (r.scheduleClaimedAt ?? '') <= staleBefore)),
    change: (r) => ({ ...r, scheduleState: 'applying', scheduleClaimedAt: at, scheduleAttempts: (r.scheduleAttempts ?? 0) + 1 }),
  }),
  finishScheduling: (result: SchedulingResult, at: string, claimedAt: string): Transition => {
    const applies = (r: ApprovalRequest) => r.scheduleState === 'applying' && r.scheduleClaimedAt === claimedAt;
    const { state, message, nextRunAt, keptPaused, signIn } = result;
    if (state === 'retry') return { applies, change: (r) => ({ ...r, scheduleState: undefined, scheduleMessage: message }) };
    return {
      applies,
      change: (r) => ({ ...r, scheduleState: state, scheduleMessage: message, scheduledNextRunAt: nextRunAt, keptPaused, scheduleGaveUp: (state === 'failed' && result.gaveUp) || undefined, scheduleSignIn: signIn, toAnnounce: true }),
      audit: { action: state === 'set' ? 'scheduleSet' : 'scheduleFailed', at, signIn, detail: message ?? (keptPaused ? said('history.keptPaused') : nextRunAt ? said('history.nextRun', { when: { moment: nextRunAt } }) : undefined) },
    };
  },
  claimAnnouncement: (at: string, staleBefore: string): Transition => ({
    applies: (r) => r.toAnnounce === true && (r.announceClaimedAt ?? '') <= staleBefore,
    change: (r) => ({ ...r, announceClaimedAt: at, announceAttempts: (r.announceAttempts ?? 0) + 1 }),
  }),
  renewAnnouncement: (claimedAt: string, at: string): Transition => ({
    applies: (r) => r.toAnnounce === true && r.announceClaimedAt === claimedAt,
    change: (r) => ({ ...r, announceClaimedAt: at }),
  }),
  finishAnnouncement: (end: AnnouncementEnd, at: string, claimedAt: string): Transition => ({
    applies: (r) => r.toAnnounce === true && r.announceClaimedAt === claimedAt,
    change: (r) => {
      if (end === 'requesterTold') return { ...r, requesterToldAt: at };
      return { ...r, toAnnounce: undefined, announcedAt: end === 'told' ? r.requesterToldAt ?? at : undefined };
    },
  }),
};

/** Whether a request still holds its project: pending and not expired at `now` (one past its expiry blocks nobody). */
export const holdsProject = (request: ApprovalRequest, now: string): boolean => request.status === 'pending' && request.expiresAt > now;

/** The trail's first entry for a new request. */
export function requestedEntry(request: ApprovalRequest): AuditEntry {
  return { requestId: request.id, projectName: request.projectName, at: request.requestedAt, action: 'requested', actor: request.requestedBy, detail: recurrenceWords(request.recurrence) };
}
