import { randomUUID } from 'node:crypto';
import { projectNamed, type DataIntegration, type Recurrence } from '../integration/port';
import { sameAadId, type Person } from '../person';
import { ApprovalPolicy, Decision, eligibleApprovers, mayDecide, REFUSALS, Verdict } from './approvalPolicy';
import { ApprovalRequest, AuditEntry, CardLocation, MAX_COMMENT_LENGTH, requestSeenBy, ScheduleChoice, TrailAsker } from './approvalRequest';
import { ApprovalFollowUps } from './approvalFollowUps';
import { ApprovalStore } from './approvalStore';
import { recordApproval } from '../telemetry/recorders';
import { countScheduledProjects, limitWarning } from './scheduleLimit';
import type { Said } from '../words/words';

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

/** Dependencies and settings of the approval service. */
export interface ApprovalServiceOptions {
  store: ApprovalStore;
  policy: ApprovalPolicy;
  ttlHours: number;
  now?: () => Date;
  newId?: () => string;
}

/** How many entries of a trail "history" shows, newest first. */
export const TRAIL_SHOWN = 20;
/** How far back, in entries, a trail is read for what a person already saw (both stores read it whole or by an index, then cut). */
export const TRAIL_WINDOW = 200;

/**
 * A project's trail, for one asker. `entries`: the newest `TRAIL_SHOWN`, for someone the service clears to see the
 * project (the caller asks it). `seen`: the newest `TRAIL_SHOWN` the asker was already shown: the entries of requests
 * shown to them (`requestSeenBy`) and what they did themselves (a pause, a resume). `hidden`: an entry they were not
 * shown is among those `seen` stands for, so a cleared person would see more; it counts nothing, so it leaks no number.
 */
export interface Trail {
  entries: AuditEntry[];
  seen: AuditEntry[];
  hidden: boolean;
}

/** Schedule approvals: request, decide once, expire, remind, the trail; what a decision leaves to do is `followUps`. No Teams here. */
export class ApprovalService {
  private readonly store: ApprovalStore;
  /** The service's clock: what "now" is for its requests, and for the cards that show them. */
  readonly now: () => Date;
  private readonly newId: () => string;
  /** Saving an approved schedule and telling an outcome, each claimed once, on the same store and clock. */
  readonly followUps: ApprovalFollowUps;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.followUps = new ApprovalFollowUps(this.store, this.now, (projectName) => this.whoPaused(projectName));
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
    const project = projectNamed(projects, input.projectName);
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

  /** Records a pause or a resume as the person chose it, so that a later approval keeps it and can say who. */
  async recordChoice(projectName: string, action: ScheduleChoice['action'], actor: Person | undefined): Promise<void> {
    await this.store.recordChoice({ projectName, action, actor, at: this.now().toISOString() });
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

  /**
   * A project's trail as `asker` may be shown it (`Trail`). What they already saw is looked for among the newest
   * `TRAIL_WINDOW` entries, not only the newest `TRAIL_SHOWN`: a request asked in a channel stays shown there however
   * many pauses, resumes and requests elsewhere came since (the store's newest 20 alone lost it after 20 of those).
   */
  async trailFor(projectName: string, asker: TrailAsker): Promise<Trail> {
    const window = await this.store.history(projectName, TRAIL_WINDOW);
    const requests = new Map<string, Promise<boolean>>();
    const sawRequest = (id: string) => {
      if (!requests.has(id)) requests.set(id, this.requestSeen(id, asker));
      return requests.get(id)!;
    };
    const seen: AuditEntry[] = [];
    let hidden = false;
    // Newest first, until as many are shown as the card takes: one left out before then is one a cleared person would see.
    for (const e of window) {
      if (seen.length === TRAIL_SHOWN) break;
      if (sameAadId(e.actor?.aadObjectId, asker.person?.aadObjectId) || (e.requestId && (await sawRequest(e.requestId)))) seen.push(e);
      else hidden = true;
    }
    return { entries: window.slice(0, TRAIL_SHOWN), seen, hidden };
  }

  private async requestSeen(requestId: string, asker: TrailAsker): Promise<boolean> {
    const request = await this.store.get(requestId);
    if (!request) return false;
    return requestSeenBy(request, (await this.store.cards(requestId)).map((c) => c.conversationId), asker);
  }
}

function cleanComment(comment: string | undefined): string | undefined {
  const trimmed = comment?.trim().slice(0, MAX_COMMENT_LENGTH);
  return trimmed ? trimmed : undefined;
}
