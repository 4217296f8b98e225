import { sameAadId } from '../person';
import { said, type Said } from '../words/words';

/** Who may decide schedule requests: SCHEDULE_APPROVERS and ALLOW_SELF_APPROVAL. */
export interface ApprovalPolicy {
  approvers: readonly string[];
  allowSelfApproval: boolean;
}

/** What someone may do with a request. */
export type Decision = 'approve' | 'reject';

/** Allowed, or refused with a reason written for the person who clicked. */
export type Verdict = { allowed: true } | { allowed: false; reason: Said };

/** The reasons a click is refused, as the person who clicked reads them. */
export const REFUSALS = {
  unknownActor: said('refusal.unknownActor'),
  notApprover: said('refusal.notApprover'),
  selfApproval: said('refusal.selfApproval'),
} as const;

/** True when the person is one of the configured approvers. */
export function isApprover(policy: ApprovalPolicy, aadObjectId: string | undefined): boolean {
  return policy.approvers.some((id) => sameAadId(id, aadObjectId));
}

/**
 * May `actor` take `decision` on a request made by `requester`? Only approvers decide, and an
 * approver may not approve their own request unless self-approval is allowed; rejecting
 * (withdrawing) their own request never runs anything, so it stays open to them.
 */
export function mayDecide(policy: ApprovalPolicy, actor: string | undefined, requester: string, decision: Decision): Verdict {
  if (!actor) return { allowed: false, reason: REFUSALS.unknownActor };
  if (!isApprover(policy, actor)) return { allowed: false, reason: REFUSALS.notApprover };
  if (decision === 'approve' && sameAadId(actor, requester) && !policy.allowSelfApproval) {
    return { allowed: false, reason: REFUSALS.selfApproval };
  }
  return { allowed: true };
}

/** The approvers who can approve a request of `requester`: those who get the buttons. */
export function eligibleApprovers(policy: ApprovalPolicy, requester: string): string[] {
  return policy.approvers.filter((id) => policy.allowSelfApproval || !sameAadId(id, requester));
}
