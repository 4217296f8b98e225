import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ApprovalRequest, approvalRequestSchema, AuditEntry, auditEntrySchema, CardLocation, FollowUp, followUpOf, ScheduleChoice } from '../../scheduleApprovals/approvalRequest';
import { ApprovalStore, DecisionInput, requestedEntry, SchedulingResult, Transition, transitions } from '../../scheduleApprovals/approvalStore';
import { all, readBody, SCHEMA_VERSION, statusOf, tableKey } from './azureTarget';

const REQUEST = 'request';
type Entity = { partitionKey: string; rowKey: string; [k: string]: unknown };

/**
 * Approvals in Azure Tables. A request, its cards and its audit entries share a partition (the
 * request id), so a transition is one entity-group transaction: the request replaced under the
 * eTag it was read with, plus its audit entry. A concurrent change makes it fail with 412 and
 * the transition is lost, exactly as a second SQLite connection loses its conditional UPDATE.
 */
export class TableApprovalStore implements ApprovalStore {
  constructor(private readonly table: TableClient) {}

  async create(request: ApprovalRequest): Promise<void> {
    await this.table.submitTransaction([['create', requestEntity(request, 1)], ['create', auditEntity(requestedEntry(request), 1)]]);
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return (await this.read(id))?.request;
  }

  async pendingFor(projectName: string): Promise<ApprovalRequest | undefined> {
    const [first] = await this.requests(odata`kind eq ${REQUEST} and project eq ${projectName.toLowerCase()} and status eq 'pending'`);
    return first;
  }

  decide(id: string, decision: DecisionInput): Promise<boolean> {
    return this.transition(id, transitions.decide(decision));
  }

  expire(id: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.expire(at));
  }

  dueForExpiry(at: string): Promise<ApprovalRequest[]> {
    return this.requests(odata`kind eq ${REQUEST} and status eq 'pending' and expiresAt le ${at}`);
  }

  claimReminder(id: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.remind(at));
  }

  claimScheduling(id: string, at: string, staleBefore: string): Promise<boolean> {
    return this.transition(id, transitions.claimScheduling(at, staleBefore));
  }

  async finishScheduling(id: string, result: SchedulingResult, at: string, claimedAt: string): Promise<void> {
    await this.transition(id, transitions.finishScheduling(result, at, claimedAt));
  }

  dueForFollowUp(followUp: FollowUp): Promise<ApprovalRequest[]> {
    return this.requests(odata`kind eq ${REQUEST} and followUp eq ${followUp}`);
  }

  claimAnnouncement(id: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.announce(at));
  }

  async addCard(requestId: string, location: CardLocation): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: tableKey(requestId), rowKey: `card|${tableKey(location.conversationId)}|${tableKey(location.activityId)}`,
      kind: 'card', v: SCHEMA_VERSION, body: JSON.stringify(location),
    }, 'Replace');
  }

  async cards(requestId: string): Promise<CardLocation[]> {
    const entities = await all(this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${tableKey(requestId)} and kind eq 'card'` } }));
    return entities.map((e) => readBody(e, cardSchema));
  }

  /** In the project's own partition; the row key is the choice's moment and actor, so copying it again (migrate-state) keeps one. */
  async recordChoice(choice: ScheduleChoice): Promise<void> {
    const project = choice.projectName.toLowerCase();
    await this.table.upsertEntity({
      partitionKey: tableKey(`project|${project}`), rowKey: `choice|${choice.at}|${tableKey(choice.actor?.aadObjectId ?? '')}|${choice.action}`,
      kind: 'audit', v: SCHEMA_VERSION, project, seq: 0, written: new Date().toISOString(), body: JSON.stringify(choice),
    }, 'Replace');
  }

  async history(projectName: string, limit = 20): Promise<AuditEntry[]> {
    const entities = await all(this.table.listEntities({ queryOptions: { filter: odata`kind eq 'audit' and project eq ${projectName.toLowerCase()}` } }));
    return entities
      .map((e) => ({ entry: readBody(e, auditEntrySchema), seq: Number(e.seq), written: String(e.written) }))
      // Newest first: by time; within one request by its own sequence, across requests by when they were written.
      .sort((a, b) => b.entry.at.localeCompare(a.entry.at)
        || (a.entry.requestId === b.entry.requestId ? b.seq - a.seq : b.written.localeCompare(a.written)))
      .slice(0, limit)
      .map((x) => x.entry);
  }

  /**
   * Copies a request with its trail and cards as they are (migrate-state): every row key is
   * derived from the source, so copying twice leaves one of each.
   */
  async importRequest(request: ApprovalRequest, trail: readonly AuditEntry[], cards: readonly CardLocation[]): Promise<void> {
    await this.table.upsertEntity(requestEntity(request, trail.length), 'Replace');
    for (const [i, entry] of trail.entries()) await this.table.upsertEntity(auditEntity(entry, i + 1), 'Replace');
    for (const card of cards) await this.addCard(request.id, card);
  }

  private async requests(filter: string): Promise<ApprovalRequest[]> {
    const entities = await all(this.table.listEntities({ queryOptions: { filter } }));
    return entities.map((e) => readBody(e, approvalRequestSchema));
  }

  private async read(id: string): Promise<{ request: ApprovalRequest; etag: string; audits: number } | undefined> {
    try {
      const entity = await this.table.getEntity(tableKey(id), REQUEST);
      return { request: readBody(entity, approvalRequestSchema), etag: entity.etag, audits: Number(entity.audits ?? 0) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async transition(id: string, t: Transition): Promise<boolean> {
    const current = await this.read(id);
    if (!current || !t.applies(current.request)) return false;
    const updated = t.change(current.request);
    const audits = current.audits + (t.audit ? 1 : 0);
    const audit = t.audit && auditEntity({ requestId: id, projectName: updated.projectName, ...t.audit }, audits);
    try {
      await this.table.submitTransaction([['update', requestEntity(updated, audits), 'Replace', { etag: current.etag }], ...(audit ? [['create', audit] as ['create', Entity]] : [])]);
      return true;
    } catch (err) {
      if (statusOf(err) === 412) return false;
      throw err;
    }
  }
}

const cardSchema: z.ZodType<CardLocation> = z.object({ conversationId: z.string(), activityId: z.string() });

/**
 * The request's entity; `audits` counts its trail, so that each audit entry gets the next number under the request's eTag.
 * `followUp` (empty when none) is what the sweep looks for; an entity written before it existed has none.
 */
function requestEntity(r: ApprovalRequest, audits: number): Entity {
  return {
    partitionKey: tableKey(r.id), rowKey: REQUEST, kind: REQUEST, v: SCHEMA_VERSION, audits,
    project: r.projectName.toLowerCase(), status: r.status, expiresAt: r.expiresAt, followUp: followUpOf(r) ?? '', body: JSON.stringify(r),
  };
}

function auditEntity(entry: AuditEntry, seq: number): Entity {
  return {
    partitionKey: tableKey(entry.requestId ?? ''), rowKey: `audit|${String(seq).padStart(9, '0')}`, kind: 'audit', v: SCHEMA_VERSION,
    project: entry.projectName.toLowerCase(), seq, written: new Date().toISOString(), body: JSON.stringify(entry),
  };
}
