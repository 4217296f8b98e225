import { sameAadId } from '../person';

/** Who may decide schedule requests: SCHEDULE_APPROVERS and ALLOW_SELF_APPROVAL. */
export interface ApprovalPolicy {
  approvers: readonly string[];
  allowSelfApproval: boolean;
}

/** What someone may do with a request. */
export type Decision = 'approve' | 'reject';

/** Allowed, or refused with a reason written for the person who clicked. */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

/** The reasons a click is refused, as the person who clicked reads them. */
export const REFUSALS = {
  unknownActor: 'I could not tell who clicked (Teams sent no Azure AD id), so I did not record a decision. Try again from the Teams app.',
  notApprover: 'Only the schedule approvers can approve or reject this request. Ask one of them, or ask your admin to add you to SCHEDULE_APPROVERS.',
  selfApproval: 'You asked for this schedule, so another approver has to approve it. You can still reject it to withdraw it.',
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
