import type { ApprovalRequest, AuditEntry } from '../scheduleApprovals/approvalRequest';
import { describeRecurrence } from '../scheduleApprovals/recurrence';
import { AdaptiveCardJson, cardTemplate, literal } from './cardRenderer';
import { cardDateTime } from './cardText';
import { keptPausedText } from '../integration/errorCatalogue';

type Facts = Array<{ title: string; value: string }>;

const requestTemplate = cardTemplate<{
  requestId: string; summary: string; facts: Facts; nextRuns: Array<{ when: string }>; hasWarning: boolean; limitWarning: string;
  hasNotice: boolean; notice: string; approverView: boolean; approverUserIds: readonly string[]; waitingFor: string; askForView: boolean;
}>('approvalRequest');
const decidedTemplate = cardTemplate<{
  headline: string; headlineColor: string; outcome: string; outcomeColor: string; summary: string; facts: Facts;
  hasComment: boolean; comment: string; hasNotice: boolean; notice: string; askAgain: string;
}>('approvalDecided');
const historyTemplate = cardTemplate<{ headline: string; entries: Array<{ when: string; line: string }> }>('approvalHistory');

/** Teams refreshes a card automatically for at most 60 listed users. */
export const MAX_REFRESH_USERS = 60;

/** Who a pending card is rendered for: an approver gets the buttons, everyone else a read-only view. */
export interface PendingView {
  viewer: 'approver' | 'everyone';
  /** Teams user ids (MRIs) of the approvers, whose clients ask for their own view. */
  approverUserIds?: readonly string[];
  /** A line for this viewer only, e.g. why their click was refused. */
  notice?: string;
}

const facts = (r: ApprovalRequest): Facts => [
  { title: 'Project', value: literal(r.projectName) },
  { title: 'Runs', value: describeRecurrence(r.recurrence) },
  { title: 'Requested by', value: literal(r.requestedBy.name) },
];

/** "Waiting for Bob Approver or Carol to approve or reject." */
export function waitingFor(r: Pick<ApprovalRequest, 'approverNames'>): string {
  const names = (r.approverNames ?? []).map(literal);
  const who = names.length === 0 ? 'an approver (SCHEDULE\\_APPROVERS)' : names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return `Waiting for ${who} to approve or reject.`;
}

/** What to type to ask for the same schedule again. */
export function askAgainCommand(r: Pick<ApprovalRequest, 'projectName' | 'recurrence'>): string {
  return `schedule ${r.projectName} ${describeRecurrence(r.recurrence)}`;
}

/** The card of a pending schedule request. */
export function approvalRequestCard(r: ApprovalRequest, view: PendingView): AdaptiveCardJson {
  return requestTemplate({
    requestId: r.id,
    summary: `**${literal(r.requestedBy.name)}** asks to run **${literal(r.projectName)}** ${describeRecurrence(r.recurrence)}, unattended against production data. The request expires ${cardDateTime(r.expiresAt)}.`,
    facts: facts(r),
    nextRuns: r.nextRunTimes.map((at) => ({ when: cardDateTime(at) })),
    hasWarning: Boolean(r.limitWarning),
    limitWarning: r.limitWarning ?? '',
    hasNotice: Boolean(view.notice),
    notice: view.notice ?? '',
    approverView: view.viewer === 'approver',
    approverUserIds: (view.approverUserIds ?? []).slice(0, MAX_REFRESH_USERS),
    waitingFor: waitingFor(r),
    // Listed approvers get their buttons by refresh; only when none is known may anyone ask for their own view.
    askForView: view.viewer !== 'approver' && (view.approverUserIds ?? []).length === 0,
  });
}

const HEADLINES = {
  approved: ['Schedule approved', 'Good'],
  rejected: ['Schedule rejected', 'Attention'],
  expired: ['Schedule request expired', 'Warning'],
} as const;

function outcomeOf(r: ApprovalRequest): [text: string, color: string] {
  if (r.status === 'rejected') return ['The schedule was not set.', 'Default'];
  if (r.status === 'expired') {
    return [`Nobody decided before ${cardDateTime(r.expiresAt)}, so the schedule was not set. Click "Ask again", or type "${literal(askAgainCommand(r))}".`, 'Default'];
  }
  if (r.scheduleState === 'set' && r.keptPaused) {
    return [`Scheduled. ${keptPausedText(r.keptPaused.by && `**${literal(r.keptPaused.by.name)}**`, r.keptPaused.at && cardDateTime(r.keptPaused.at))}`, 'Warning'];
  }
  if (r.scheduleState === 'set' && r.scheduleMessage) return [literal(r.scheduleMessage), 'Attention'];
  if (r.scheduleState === 'set') {
    return [r.scheduledNextRunAt ? `Scheduled. First run ${cardDateTime(r.scheduledNextRunAt)}.` : 'Scheduled.', 'Good'];
  }
  if (r.scheduleState === 'failed') return [`The service refused the schedule: ${literal(r.scheduleMessage ?? 'no reason given')}`, 'Attention'];
  return ['Saving the schedule…', 'Accent'];
}

/** The card of a decided or expired request, the same for everyone. */
export function approvalDecidedCard(r: ApprovalRequest, notice?: string): AdaptiveCardJson {
  if (r.status === 'pending') throw new Error('approvalDecidedCard needs a decided request');
  const [headline, headlineColor] = HEADLINES[r.status];
  const [outcome, outcomeColor] = outcomeOf(r);
  const decided = r.decidedBy ? [{ title: r.status === 'approved' ? 'Approved by' : 'Rejected by', value: literal(r.decidedBy.name) }] : [];
  return decidedTemplate({
    headline, headlineColor, outcome, outcomeColor,
    summary: `**${literal(r.projectName)}**, ${describeRecurrence(r.recurrence)}${r.decidedAt ? `, decided ${cardDateTime(r.decidedAt)}` : ''}.`,
    facts: [...facts(r), ...decided],
    hasComment: Boolean(r.comment),
    comment: r.comment ? `“${literal(r.comment)}”` : '',
    hasNotice: Boolean(notice),
    notice: notice ?? '',
    askAgain: r.status === 'expired' || r.status === 'rejected' ? askAgainCommand(r) : '',
  });
}

/** The card for a request as it stands: pending (per viewer) or decided. */
export function approvalCard(r: ApprovalRequest, view: PendingView): AdaptiveCardJson {
  return r.status === 'pending' ? approvalRequestCard(r, view) : approvalDecidedCard(r, view.notice);
}

const ACTIONS: Record<AuditEntry['action'], string> = {
  requested: 'asked for a schedule',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'The request expired',
  scheduleSet: 'The service saved the schedule',
  scheduleFailed: 'The service refused the schedule',
  paused: 'paused the schedule',
  resumed: 'resumed the schedule',
};

const ISO_MOMENT = /\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z/g;

/** Text shown literally, except the moments in it, which Teams shows in the reader's date format. */
function withCardDates(text: string): string {
  const parts = text.split(ISO_MOMENT);
  const moments = text.match(ISO_MOMENT) ?? [];
  return parts.map((part, i) => literal(part) + (moments[i] ? cardDateTime(moments[i]) : '')).join('');
}

/** "history PROJECT": who asked, who decided, and what the service did, newest first. */
export function approvalHistoryCard(projectName: string, entries: readonly AuditEntry[]): AdaptiveCardJson {
  return historyTemplate({
    headline: `Approval history of ${literal(projectName)}`,
    entries: entries.map((e) => ({
      when: cardDateTime(e.at),
      line: [
        e.actor ? `**${literal(e.actor.name)}** ${ACTIONS[e.action]}` : ACTIONS[e.action],
        e.detail ? `: ${withCardDates(e.detail)}` : '',
        e.comment ? ` — “${literal(e.comment)}”` : '',
      ].join(''),
    })),
  });
}
