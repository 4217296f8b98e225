import { z } from 'zod';
import { type Person, personSchema, sameAadId } from '../person';
import { recurrenceSchema } from '../recurrence/recurrence';
import { speechSchema, storedSaidSchema } from '../words/saidSchema';

/** Where a request stands. Only `pending` can change, and only once. */
export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/** What became of an approved schedule at the service. */
export const scheduleStateSchema = z.enum(['applying', 'set', 'failed']);
export type ScheduleState = z.infer<typeof scheduleStateSchema>;

/**
 * Whose sign-in made the attempt that settled an approved schedule (saved, or refused by the service). When it was
 * the approver's, `insteadOfRequester` says why not the requester's: she was not signed in (`signedOut`), the
 * service refused her sign-in (`refused`, 401), or it did not let her sign-in do it (`forbidden`, 403).
 */
export const signInUsedSchema = z.object({
  by: personSchema,
  insteadOfRequester: z.enum(['signedOut', 'refused', 'forbidden']).optional(),
});
export type SignInUsed = z.infer<typeof signInUsedSchema>;
/** Why the requester's sign-in could not save an approved schedule. */
export type RequesterSignInProblem = NonNullable<SignInUsed['insteadOfRequester']>;

/**
 * A request to put a project on a schedule, as stored (times are ISO 8601). Older records also carry the next runs
 * as of their request (`nextRunTimes`), which reading drops: a card counts them from when it is drawn.
 */
export const approvalRequestSchema = z.object({
  id: z.string().min(1),
  projectName: z.string().min(1),
  recurrence: recurrenceSchema,
  requestedBy: personSchema,
  /** The conversation the request was made in (base id, without ";messageid="). */
  conversationId: z.string().min(1),
  status: approvalStatusSchema,
  requestedAt: z.string(),
  expiresAt: z.string(),
  /** Teams user ids (MRIs) of the approvers who get the buttons, as far as the bot knows them. */
  approverUserIds: z.array(z.string()).default([]),
  /** Names of the approvers, for "Waiting for …" on the requester's card. */
  approverNames: z.array(z.string()).optional(),
  /** The channel thread it was asked in (its first message), where its run alerts go once approved. */
  threadActivityId: z.string().optional(),
  /** The requester's language and time zone (the activity's `locale` and `localTimezone`), for what the bot tells her later. */
  requestedIn: speechSchema.optional(),
  /** How close the tenant is to its limit of scheduled projects (text from an older version is kept as it was). */
  limitWarning: storedSaidSchema.optional(),
  decidedBy: personSchema.optional(),
  decidedAt: z.string().optional(),
  /** The conversation the decision was clicked in (base id): where the approver's sign-in is looked for when the schedule is saved later. */
  decidedIn: z.string().optional(),
  comment: z.string().optional(),
  /** Absent while an approved schedule waits to be saved (first, or again after an attempt that got no answer). */
  scheduleState: scheduleStateSchema.optional(),
  /** Why the schedule was not set: the service's words, or the bot's (text from an older version is kept as it was); while it waits, why it waits. */
  scheduleMessage: storedSaidSchema.optional(),
  /** A failed save that ended because it got no answer for too long (not a refusal by the service). */
  scheduleGaveUp: z.boolean().optional(),
  /** When the last attempt to save the schedule was claimed; a claim older than a few minutes is taken over. */
  scheduleClaimedAt: z.string().optional(),
  /** How many attempts to save the schedule were claimed. */
  scheduleAttempts: z.number().int().nonnegative().optional(),
  /** Whose sign-in saved the schedule, or made the attempt the service refused. */
  scheduleSignIn: signInUsedSchema.optional(),
  /**
   * The outcome (rejected, expired, or the schedule saved or not) still has to be told: the cards and the requester.
   * It stays set while the telling is claimed, until the telling is done (or ended: the conversation is gone).
   */
  toAnnounce: z.boolean().optional(),
  /** When the telling of the outcome was last claimed; a claim not finished a few minutes later is taken over (its instance stopped, or the message did not go out). */
  announceClaimedAt: z.string().optional(),
  /** How many times the telling was claimed. */
  announceAttempts: z.number().int().nonnegative().optional(),
  /** The requester was told, but a copy of the card was not updated yet: a later attempt updates the cards only. */
  requesterToldAt: z.string().optional(),
  /**
   * When the outcome was told. A request written by a version before the telling was resumed has it from when the
   * telling was claimed, and no `toAnnounce`: it is taken as told (as it almost always was), never told again.
   */
  announcedAt: z.string().optional(),
  /** The first run the service announced once the schedule was saved. */
  scheduledNextRunAt: z.string().optional(),
  /** When the approvers got their one reminder (at half the time to live). */
  remindedAt: z.string().optional(),
  /** The project was paused when the approval landed: the schedule was saved and kept paused (by whom, when, if the bot knows). */
  keptPaused: z.object({ by: personSchema.optional(), at: z.string().optional() }).optional(),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/**
 * Whose sign-in the run watch of an approved schedule reads its runs with: the approver's when the schedule was saved
 * with his because the requester's could not (none, refused or not allowed), as his is the one shown to work on this
 * project and hers just failed there; else the requester's. The watch names this person as its owner, so a "sign-in
 * needed" card asks the one whose sign-in is needed.
 */
export function runsReadBy(request: Pick<ApprovalRequest, 'requestedBy' | 'scheduleSignIn'>): Person {
  const used = request.scheduleSignIn;
  return used?.insteadOfRequester ? used.by : request.requestedBy;
}

/** Who asks to see a project's trail, and where. */
export interface TrailAsker {
  /** The asker when the directory vouches for them (none: only where they ask counts). */
  person?: Pick<Person, 'aadObjectId' | 'userId'>;
  /** The conversation they ask in (base id: a channel's threads are one channel, and its members see every thread). */
  conversationId: string;
}

/**
 * Whether the asker was already shown a request: it was asked, or its card posted, in the conversation they ask in
 * (everyone there saw its card), or they asked it, decided it, or were one of the approvers its card addressed.
 */
export function requestSeenBy(request: ApprovalRequest, cardConversationIds: readonly string[], asker: TrailAsker): boolean {
  if (request.conversationId === asker.conversationId || cardConversationIds.includes(asker.conversationId)) return true;
  const person = asker.person;
  if (!person) return false;
  return [request.requestedBy, request.decidedBy, request.scheduleSignIn?.by].some((p) => sameAadId(p?.aadObjectId, person.aadObjectId))
    || (!!person.userId && request.approverUserIds.includes(person.userId));
}

/** What a request still needs the bot to do on its own: save its approved schedule, or tell its outcome. */
export type FollowUp = 'save' | 'announce';

/** The follow-up of a request (kept beside it in both backends, so that the sweep finds it by an index). */
export function followUpOf(r: ApprovalRequest): FollowUp | undefined {
  if (r.status === 'approved' && r.scheduleState !== 'set' && r.scheduleState !== 'failed') return 'save';
  return r.toAnnounce ? 'announce' : undefined;
}

/** What an audit entry records. */
export const auditActionSchema = z.enum(['requested', 'approved', 'rejected', 'expired', 'scheduleSet', 'scheduleFailed', 'paused', 'resumed']);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** One line of a project's approval history: who did what, when, and why. */
export const auditEntrySchema = z.object({
  /** Absent for a pause or resume, which belongs to the project rather than to a request. */
  requestId: z.string().optional(),
  projectName: z.string(),
  at: z.string(),
  action: auditActionSchema,
  actor: personSchema.optional(),
  comment: z.string().optional(),
  detail: storedSaidSchema.optional(),
  /** For the service's save (or refusal) of a schedule: whose sign-in the bot used. */
  signIn: signInUsedSchema.optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** A pause or resume of a project's schedule, as someone chose it. */
export type ScheduleChoice = AuditEntry & { action: 'paused' | 'resumed' };

/** A message that shows a request's card, to update when the request changes. */
export interface CardLocation {
  conversationId: string;
  activityId: string;
}

/** The longest comment kept; Teams inputs can send more than a card should show. */
export const MAX_COMMENT_LENGTH = 500;
