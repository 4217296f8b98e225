import type { Person } from '../person';
import { ApprovalRequest, AuditEntry, CardLocation, ScheduleChoice, ScheduleState } from './approvalRequest';
import { recurrenceWords } from '../recurrence/recurrence';
import { said, type Said } from '../words/words';

/** A decision to record. */
export interface DecisionInput {
  status: 'approved' | 'rejected';
  by: Person;
  at: string;
  comment?: string;
}

/** What saving an approved schedule came to. */
export type SchedulingResult =
  /** `message` on a saved schedule is a warning: it was saved, but not kept paused as it was. */
  | { state: Extract<ScheduleState, 'set'>; nextRunAt?: string; message?: Said; keptPaused?: ApprovalRequest['keptPaused'] }
  | { state: Extract<ScheduleState, 'failed'>; message: Said; nextRunAt?: undefined; keptPaused?: undefined };

/**
 * Schedule requests, the cards that show them, and their audit trail. Every transition is
 * conditional on the state it starts from, so two clicks at the same moment, in this process
 * or another instance, change a request once. SQLite and Azure Tables implement it.
 */
export interface ApprovalStore {
  create(request: ApprovalRequest): Promise<void>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** The pending request of a project, if any. */
  pendingFor(projectName: string): Promise<ApprovalRequest | undefined>;
  /** Records the decision if the request is still pending and not expired at `decision.at`; false otherwise. */
  decide(id: string, decision: DecisionInput): Promise<boolean>;
  /** Marks a pending request expired once `at` is past its expiry; false when it was decided or is not due. */
  expire(id: string, at: string): Promise<boolean>;
  /** Pending requests whose expiry has passed at `at`. */
  dueForExpiry(at: string): Promise<ApprovalRequest[]>;
  /** Marks the one reminder of a pending request as sent; false when it was already (on this or another instance). */
  claimReminder(id: string, at: string): Promise<boolean>;
  /** Claims an approved request for saving its schedule; true for exactly one caller. */
  claimScheduling(id: string): Promise<boolean>;
  /** Records what the service answered when saving the schedule: its next run, or why it refused. */
  finishScheduling(id: string, result: SchedulingResult, at: string): Promise<void>;
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
  decide: ({ status, by, at, comment }: DecisionInput): Transition => ({
    applies: (r) => r.status === 'pending' && r.expiresAt > at,
    change: (r) => ({ ...r, status, decidedBy: by, decidedAt: at, comment }),
    audit: { action: status, actor: by, comment, at },
  }),
  expire: (at: string): Transition => ({
    applies: (r) => r.status === 'pending' && r.expiresAt <= at,
    change: (r) => ({ ...r, status: 'expired', decidedAt: at }),
    audit: { action: 'expired', at },
  }),
  remind: (at: string): Transition => ({
    applies: (r) => r.status === 'pending' && r.remindedAt === undefined,
    change: (r) => ({ ...r, remindedAt: at }),
  }),
  claimScheduling: (): Transition => ({
    applies: (r) => r.status === 'approved' && r.scheduleState === undefined,
    change: (r) => ({ ...r, scheduleState: 'applying' }),
  }),
  finishScheduling: ({ state, message, nextRunAt, keptPaused }: SchedulingResult, at: string): Transition => ({
    applies: (r) => r.scheduleState === 'applying',
    change: (r) => ({ ...r, scheduleState: state, scheduleMessage: message, scheduledNextRunAt: nextRunAt, keptPaused }),
    audit: { action: state === 'set' ? 'scheduleSet' : 'scheduleFailed', at, detail: message ?? (keptPaused ? said('history.keptPaused') : nextRunAt ? said('history.nextRun', { when: { moment: nextRunAt } }) : undefined) },
  }),
};

/** The trail's first entry for a new request. */
export function requestedEntry(request: ApprovalRequest): AuditEntry {
  return { requestId: request.id, projectName: request.projectName, at: request.requestedAt, action: 'requested', actor: request.requestedBy, detail: recurrenceWords(request.recurrence) };
}
