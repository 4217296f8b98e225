import { z } from 'zod';
import { BotDatabase } from '../storage/database';
import type { Person } from '../person';
import {
  ApprovalRequest, approvalRequestSchema, AuditEntry, auditEntrySchema, CardLocation, ScheduleState,
} from './approvalRequest';
import { describeRecurrence } from './recurrence';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS schedule_approvals (
    id TEXT PRIMARY KEY,
    project_name TEXT NOT NULL,
    status TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    schedule_state TEXT,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS schedule_approvals_project ON schedule_approvals(project_name, status);
  CREATE TABLE IF NOT EXISTS schedule_approval_cards (
    request_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    PRIMARY KEY (request_id, conversation_id, activity_id)
  );
  CREATE TABLE IF NOT EXISTS schedule_approval_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_name TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS schedule_approval_audit_project ON schedule_approval_audit(project_name);`;

const bodyRow = z.object({ body: z.string() });
const cardRow = z.object({ conversation_id: z.string(), activity_id: z.string() });

/** A decision to record. */
export interface DecisionInput {
  status: 'approved' | 'rejected';
  by: Person;
  at: string;
  comment?: string;
}

/** What saving an approved schedule came to. */
export type SchedulingResult = { state: Extract<ScheduleState, 'set'>; nextRunAt?: string; message?: undefined } | { state: Extract<ScheduleState, 'failed'>; message: string; nextRunAt?: undefined };

/** A conditional UPDATE of the guarded columns. */
interface GuardedUpdate { guard: string; params: unknown[]; columns: Record<string, string> }
type AuditFields = Omit<AuditEntry, 'requestId' | 'projectName'>;

/**
 * Schedule requests, the cards that show them, and their audit trail, in the bot's SQLite database.
 * The request's columns that guard transitions (status, schedule_state) are updated with
 * conditions, so two clicks at the same moment, in this process or another, change it once.
 */
export class ApprovalStore {
  constructor(private readonly db: BotDatabase) {
    db.exec(SCHEMA);
  }

  create(request: ApprovalRequest): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO schedule_approvals (id, project_name, status, expires_at, body) VALUES (?, ?, ?, ?, ?)')
        .run(request.id, request.projectName, request.status, request.expiresAt, JSON.stringify(request));
      this.audit({ requestId: request.id, projectName: request.projectName, at: request.requestedAt, action: 'requested', actor: request.requestedBy, detail: describeRecurrence(request.recurrence) });
    })();
  }

  get(id: string): ApprovalRequest | undefined {
    const row = this.db.prepare('SELECT body FROM schedule_approvals WHERE id = ?').get(id);
    return row ? approvalRequestSchema.parse(JSON.parse(bodyRow.parse(row).body)) : undefined;
  }

  /** The pending request of a project, if any. */
  pendingFor(projectName: string): ApprovalRequest | undefined {
    const row = this.db.prepare("SELECT id FROM schedule_approvals WHERE project_name = ? AND status = 'pending'").get(projectName) as { id: string } | undefined;
    return row ? this.get(row.id) : undefined;
  }

  /** Records the decision if the request is still pending and not expired at `decision.at`; false otherwise. */
  decide(id: string, decision: DecisionInput): boolean {
    const { status, by, at, comment } = decision;
    return this.transition(id, { guard: "status = 'pending' AND expires_at > ?", params: [at], columns: { status } },
      (r) => ({ ...r, status, decidedBy: by, decidedAt: at, comment }), { action: status, actor: by, comment, at });
  }

  /** Marks a pending request expired once `at` is past its expiry; false when it was decided or is not due. */
  expire(id: string, at: string): boolean {
    return this.transition(id, { guard: "status = 'pending' AND expires_at <= ?", params: [at], columns: { status: 'expired' } },
      (r) => ({ ...r, status: 'expired', decidedAt: at }), { action: 'expired', at });
  }

  /** Pending requests whose expiry has passed at `at`. */
  dueForExpiry(at: string): ApprovalRequest[] {
    const rows = this.db.prepare("SELECT id FROM schedule_approvals WHERE status = 'pending' AND expires_at <= ?").all(at) as Array<{ id: string }>;
    return rows.map((r) => this.get(r.id)!);
  }

  /** Claims an approved request for saving its schedule; true for exactly one caller. */
  claimScheduling(id: string): boolean {
    return this.transition(id, { guard: "status = 'approved' AND schedule_state IS NULL", params: [], columns: { schedule_state: 'applying' } },
      (r) => ({ ...r, scheduleState: 'applying' }));
  }

  /** Records what the service answered when saving the schedule: its next run, or why it refused. */
  finishScheduling(id: string, result: SchedulingResult, at: string): void {
    const { state, message, nextRunAt } = result;
    this.transition(id, { guard: "schedule_state = 'applying'", params: [], columns: { schedule_state: state } },
      (r) => ({ ...r, scheduleState: state, scheduleMessage: message, scheduledNextRunAt: nextRunAt }),
      { action: state === 'set' ? 'scheduleSet' : 'scheduleFailed', at, detail: message ?? (nextRunAt && `next run ${nextRunAt}`) });
  }

  addCard(requestId: string, location: CardLocation): void {
    this.db.prepare('INSERT OR IGNORE INTO schedule_approval_cards (request_id, conversation_id, activity_id) VALUES (?, ?, ?)')
      .run(requestId, location.conversationId, location.activityId);
  }

  cards(requestId: string): CardLocation[] {
    return this.db.prepare('SELECT conversation_id, activity_id FROM schedule_approval_cards WHERE request_id = ?').all(requestId)
      .map((row) => cardRow.parse(row)).map((r) => ({ conversationId: r.conversation_id, activityId: r.activity_id }));
  }

  /** The audit trail of a project, newest first. */
  history(projectName: string, limit = 20): AuditEntry[] {
    return this.db.prepare('SELECT body FROM schedule_approval_audit WHERE project_name = ? COLLATE NOCASE ORDER BY seq DESC LIMIT ?')
      .all(projectName, limit).map((row) => auditEntrySchema.parse(JSON.parse(bodyRow.parse(row).body)));
  }

  private audit(entry: AuditEntry): void {
    this.db.prepare('INSERT INTO schedule_approval_audit (project_name, body) VALUES (?, ?)').run(entry.projectName, JSON.stringify(entry));
  }

  /** Applies `change` when `guard` holds and audits it, in one transaction; false when the guard did not hold. */
  private transition(id: string, update: GuardedUpdate, change: (r: ApprovalRequest) => ApprovalRequest, audit?: AuditFields): boolean {
    return this.db.transaction(() => {
      const sets = Object.keys(update.columns).map((c) => `${c} = ?`).join(', ');
      const result = this.db.prepare(`UPDATE schedule_approvals SET ${sets} WHERE id = ? AND ${update.guard}`)
        .run(...Object.values(update.columns), id, ...update.params);
      if (result.changes !== 1) return false;
      const updated = change(this.get(id)!);
      this.db.prepare('UPDATE schedule_approvals SET body = ? WHERE id = ?').run(JSON.stringify(updated), id);
      if (audit) this.audit({ requestId: id, projectName: updated.projectName, ...audit });
      return true;
    })();
  }
}
