import { z } from 'zod';
import { ApprovalRequest, approvalRequestSchema, AuditEntry, auditEntrySchema, CardLocation, FollowUp, followUpOf, ScheduleChoice } from '../../scheduleApprovals/approvalRequest';
import { AnnouncementEnd, ApprovalStore, DecisionInput, requestedEntry, SchedulingResult, Transition, transitions } from '../../scheduleApprovals/approvalStore';
import { BotDatabase } from '../database';

const bodyRow = z.object({ body: z.string() });
const cardRow = z.object({ conversation_id: z.string(), activity_id: z.string() });

/**
 * The embedded default: approvals in the bot's SQLite database. A transition reads, checks and
 * writes in one IMMEDIATE transaction, which holds SQLite's write lock from its first statement:
 * two connections (two processes) cannot both see the request pending.
 */
export class SqliteApprovalStore implements ApprovalStore {
  constructor(private readonly db: BotDatabase) {}

  /** Looks for the open request and inserts in one IMMEDIATE transaction: another connection waits for it to end. */
  async createUnlessPending(request: ApprovalRequest, now: string): Promise<ApprovalRequest | undefined> {
    return this.db.transaction(() => {
      const open = this.pendingRow(request.projectName, now);
      if (open) return this.read(open.id);
      this.db
        .prepare('INSERT INTO schedule_approvals (id, project_name, status, expires_at, follow_up, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(request.id, request.projectName, request.status, request.expiresAt, followUpOf(request) ?? null, JSON.stringify(request));
      this.audit(requestedEntry(request));
      return undefined;
    }).immediate();
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return this.read(id);
  }

  async pendingFor(projectName: string): Promise<ApprovalRequest | undefined> {
    const row = this.pendingRow(projectName, '');
    return row ? this.read(row.id) : undefined;
  }

  async decide(id: string, decision: DecisionInput): Promise<boolean> {
    return this.transition(id, transitions.decide(decision));
  }

  async expire(id: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.expire(at));
  }

  async dueForExpiry(at: string): Promise<ApprovalRequest[]> {
    const rows = this.db.prepare("SELECT id FROM schedule_approvals WHERE status = 'pending' AND expires_at <= ?").all(at) as Array<{ id: string }>;
    return rows.map((r) => this.read(r.id)!);
  }

  async claimReminder(id: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.remind(at));
  }

  async claimScheduling(id: string, at: string, staleBefore: string): Promise<boolean> {
    return this.transition(id, transitions.claimScheduling(at, staleBefore));
  }

  async finishScheduling(id: string, result: SchedulingResult, at: string, claimedAt: string): Promise<void> {
    this.transition(id, transitions.finishScheduling(result, at, claimedAt));
  }

  async dueForFollowUp(followUp: FollowUp): Promise<ApprovalRequest[]> {
    const rows = this.db.prepare('SELECT id FROM schedule_approvals WHERE follow_up = ?').all(followUp) as Array<{ id: string }>;
    return rows.map((r) => this.read(r.id)!);
  }

  async claimAnnouncement(id: string, at: string, staleBefore: string): Promise<boolean> {
    return this.transition(id, transitions.claimAnnouncement(at, staleBefore));
  }

  async renewAnnouncement(id: string, claimedAt: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.renewAnnouncement(claimedAt, at));
  }

  async finishAnnouncement(id: string, end: AnnouncementEnd, at: string, claimedAt: string): Promise<void> {
    this.transition(id, transitions.finishAnnouncement(end, at, claimedAt));
  }

  async addCard(requestId: string, location: CardLocation): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO schedule_approval_cards (request_id, conversation_id, activity_id) VALUES (?, ?, ?)')
      .run(requestId, location.conversationId, location.activityId);
  }

  async cards(requestId: string): Promise<CardLocation[]> {
    return this.db.prepare('SELECT conversation_id, activity_id FROM schedule_approval_cards WHERE request_id = ?').all(requestId)
      .map((row) => cardRow.parse(row)).map((r) => ({ conversationId: r.conversation_id, activityId: r.activity_id }));
  }

  async recordChoice(choice: ScheduleChoice): Promise<void> {
    this.audit(choice);
  }

  async history(projectName: string, limit = 20): Promise<AuditEntry[]> {
    return this.db.prepare('SELECT body FROM schedule_approval_audit WHERE project_name = ? COLLATE NOCASE ORDER BY seq DESC LIMIT ?')
      .all(projectName, limit).map((row) => auditEntrySchema.parse(JSON.parse(bodyRow.parse(row).body)));
  }

  /** The project's pending request expiring after `after` (any: ''), the one that expires last; names match as the Azure backend's do, in any case. */
  private pendingRow(projectName: string, after: string): { id: string } | undefined {
    return this.db.prepare("SELECT id FROM schedule_approvals WHERE project_name = ? COLLATE NOCASE AND status = 'pending' AND expires_at > ? ORDER BY expires_at DESC LIMIT 1")
      .get(projectName, after) as { id: string } | undefined;
  }

  private read(id: string): ApprovalRequest | undefined {
    const row = this.db.prepare('SELECT body FROM schedule_approvals WHERE id = ?').get(id);
    return row ? approvalRequestSchema.parse(JSON.parse(bodyRow.parse(row).body)) : undefined;
  }

  private audit(entry: AuditEntry): void {
    this.db.prepare('INSERT INTO schedule_approval_audit (project_name, body) VALUES (?, ?)').run(entry.projectName, JSON.stringify(entry));
  }

  /** Applies the transition when it applies and audits it, in one transaction; false when it did not apply. */
  private transition(id: string, t: Transition): boolean {
    return this.db.transaction(() => {
      const current = this.read(id);
      if (!current || !t.applies(current)) return false;
      const updated = t.change(current);
      this.db.prepare('UPDATE schedule_approvals SET status = ?, schedule_state = ?, follow_up = ?, body = ? WHERE id = ?')
        .run(updated.status, updated.scheduleState ?? null, followUpOf(updated) ?? null, JSON.stringify(updated), id);
      if (t.audit) this.audit({ requestId: id, projectName: updated.projectName, ...t.audit });
      return true;
    }).immediate();
  }
}
