import { instruments, turnCounts } from './meters';
import { ATTRS } from './names';

/** A Bot Connector answer of 429 (Teams throttling the bot). */
export function recordThrottled(operation: string): void {
  instruments().connectorThrottled.add(1, { [ATTRS.operation]: operation });
}

/** The lease moved: this instance took it or lost it. */
export function recordLeaseChange(change: 'gained' | 'lost'): void {
  instruments().leaseChanges.add(1, { [ATTRS.leaseChange]: change });
}

/** Reports 0/1 for "this instance holds the leader lease" whenever metrics are collected. */
export function observeLease(isLeader: () => boolean): void {
  instruments().leaseHeld.addCallback((result) => result.observe(isLeader() ? 1 : 0));
}

/** A schedule approval was requested, decided (approved/rejected) or expired. */
export function recordApproval(event: 'requested' | 'approved' | 'rejected' | 'expired', count = 1): void {
  if (count > 0) instruments().approvals.add(count, { [ATTRS.approvalEvent]: event });
}

/** A setup started, finished (a run or a schedule request) or was abandoned at a step. */
export function recordSetup(event: 'started' | 'finished' | 'abandoned', step?: string): void {
  instruments().setups.add(1, { [ATTRS.setupEvent]: event, ...(step ? { [ATTRS.setupStep]: step } : {}) });
}

/** A turn ended: its kind and outcome, and how long it took. */
export function recordTurn(kind: string, outcome: string, ms: number): void {
  const key = `${kind} ${outcome}`;
  let tally = turnCounts.get(key);
  if (!tally) turnCounts.set(key, (tally = { attributes: { [ATTRS.turnKind]: kind, [ATTRS.outcome]: outcome }, count: 0 }));
  tally.count++;
  instruments().turnDuration.record(ms, tally.attributes);
}

/** A service call ended (after its retries): route and status; a failure also counts under its catalogue code. */
export function recordServiceCall(route: string, status: string, ms: number, errorCode?: string): void {
  const m = instruments();
  m.serviceCalls.add(1, { [ATTRS.route]: route, [ATTRS.status]: status });
  m.serviceDuration.record(ms, { [ATTRS.route]: route, [ATTRS.status]: status });
  if (errorCode) m.errors.add(1, { [ATTRS.errorCode]: errorCode });
}
