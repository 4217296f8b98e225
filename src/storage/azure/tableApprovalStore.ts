import { createHash } from 'node:crypto';
import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { ApprovalRequest, approvalRequestSchema, AuditEntry, auditEntrySchema, CardLocation, FollowUp, followUpOf, ScheduleChoice } from '../../scheduleApprovals/approvalRequest';
import { AnnouncementEnd, ApprovalStore, DecisionInput, holdsProject, requestedEntry, SchedulingResult, Transition, transitions } from '../../scheduleApprovals/approvalStore';
import { all, readBody, SCHEMA_VERSION, statusOf, tableKey } from './azureTarget';

const REQUEST = 'request';
const HOLDER = 'holder';
type Entity = { partitionKey: string; rowKey: string; [k: string]: unknown };

/**
 * Approvals in Azure Tables. A request, its cards and its audit entries share a partition (the
 * request id), so a transition is one entity-group transaction: the request replaced under the
 * eTag it was read with, plus its audit entry. A concurrent change makes it fail with 412 and
 * the transition is lost, exactly as a second SQLite connection loses its conditional UPDATE.
 */
export class TableApprovalStore implements ApprovalStore {
  constructor(private readonly table: TableClient) {}

  /**
   * One entity per project, its holder, names the request that holds the project and carries a copy of it; it is
   * the point where a request is decided to exist. The holder is written first (created if absent, or replaced
   * under its eTag once the request it names no longer holds the project), the request second. A crash between the
   * two leaves a holder whose request is missing: whoever reads it next writes that request from the copy, exactly as
   * its creator would have (a create: it never overwrites), so a slow creator and a helper agree and nothing
   * dangles. A request is never written before its holder, so none is pending unguarded; one written by an older
   * version (or copied by migrate-state) without a holder is taken in when the project's holder is free.
   */
  async createUnlessPending(request: ApprovalRequest, now: string): Promise<ApprovalRequest | undefined> {
    for (;;) {
      const holder = await this.holder(request.projectName);
      const held = holder && (await this.written(holder.request));
      if (held && holdsProject(held, now)) return held;
      const [unguarded] = (await this.pendingRequests(request.projectName)).filter((r) => r.id !== held?.id && holdsProject(r, now));
      const next = unguarded ?? request;
      if (!(await this.takeHolder(next, holder?.etag))) continue; // someone else took it: read it again
      if (next !== request) continue; // it holds the project now: answered by the next round
      await this.write(request);
      return undefined;
    }
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return (await this.read(id))?.request;
  }

  async pendingFor(projectName: string): Promise<ApprovalRequest | undefined> {
    return (await this.pendingRequests(projectName))[0];
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

  claimAnnouncement(id: string, at: string, staleBefore: string): Promise<boolean> {
    return this.transition(id, transitions.claimAnnouncement(at, staleBefore));
  }

  renewAnnouncement(id: string, claimedAt: string, at: string): Promise<boolean> {
    return this.transition(id, transitions.renewAnnouncement(claimedAt, at));
  }

  async finishAnnouncement(id: string, end: AnnouncementEnd, at: string, claimedAt: string): Promise<void> {
    await this.transition(id, transitions.finishAnnouncement(end, at, claimedAt));
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

  /** The project's pending requests, the one that expires last first. */
  private async pendingRequests(projectName: string): Promise<ApprovalRequest[]> {
    const pending = await this.requests(odata`kind eq ${REQUEST} and project eq ${projectName.toLowerCase()} and status eq 'pending'`);
    return pending.sort((a, b) => b.expiresAt.localeCompare(a.expiresAt));
  }

  /** Writes a new request with its first audit entry; already there (written by whoever read its holder first) is as good. */
  private async write(request: ApprovalRequest): Promise<void> {
    try {
      await this.table.submitTransaction([['create', requestEntity(request, 1)], ['create', auditEntity(requestedEntry(request), 1)]]);
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }

  /** The request a holder names, as stored: written from the holder's copy first if its creator stopped before writing it. */
  private async written(request: ApprovalRequest): Promise<ApprovalRequest> {
    const stored = await this.read(request.id);
    if (stored) return stored.request;
    await this.write(request);
    return (await this.read(request.id))!.request;
  }

  private async holder(projectName: string): Promise<{ request: ApprovalRequest; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity(HOLDER, holderKey(projectName));
      return { request: readBody(entity, approvalRequestSchema), etag: entity.etag };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Makes `request` the project's holder: created if there was none (`etag` undefined), else replaced under the eTag it was read with; false when someone else changed it first. */
  private async takeHolder(request: ApprovalRequest, etag: string | undefined): Promise<boolean> {
    const entity = {
      partitionKey: HOLDER, rowKey: holderKey(request.projectName), kind: HOLDER, v: SCHEMA_VERSION,
      project: request.projectName.toLowerCase(), requestId: request.id, body: JSON.stringify(request),
    };
    try {
      if (etag === undefined) await this.table.createEntity(entity);
      else await this.table.updateEntity(entity, 'Replace', { etag });
      return true;
    } catch (err) {
      if (statusOf(err) === 409 || statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw err;
    }
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

/** The holder's row key: a project name may be long or hold any character, and matches in any case. */
const holderKey = (projectName: string): string => createHash('sha256').update(projectName.toLowerCase()).digest('hex');

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
