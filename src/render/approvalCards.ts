import type { ApprovalRequest, AuditEntry } from '../scheduleApprovals/approvalRequest';
import { describeRecurrence, recurrenceWords } from '../recurrence/recurrence';
import { nextRunTimes } from '../recurrence/nextRunTimes';
import { ENGLISH, said, type CardText, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate } from './cardRenderer';
import { fittedCard } from './cardFit';
import { keptPausedText } from '../integration/errorCatalogue';

type Facts = Array<{ title: CardText; value: CardText }>;

const requestTemplate = cardTemplate<{
  requestId: string; summary: CardText; facts: Facts; nextRuns: Array<{ when: CardText }>; hasWarning: boolean; limitWarning: CardText | '';
  hasNotice: boolean; notice: CardText | ''; approverView: boolean; approverUserIds: readonly string[]; waitingFor: CardText; askForView: boolean;
}>('approvalRequest');
const decidedTemplate = cardTemplate<{
  headline: CardText; outcome: CardText; outcomeColor: 'Default' | 'Accent'; summary: CardText; facts: Facts;
  hasComment: boolean; comment: CardText | ''; hasNotice: boolean; notice: CardText | ''; askAgain: string;
}>('approvalDecided');
const historyTemplate = cardTemplate<{ headline: CardText; entries: Array<{ when: CardText; line: CardText }>; more: CardText | '' }>('approvalHistory');

/** Teams refreshes a card automatically for at most 60 listed users. */
export const MAX_REFRESH_USERS = 60;

/** Who a pending card is rendered for, and when: an approver gets the buttons, everyone else a read-only view. */
export interface PendingView {
  viewer: 'approver' | 'everyone';
  /** Teams user ids (MRIs) of the approvers, whose clients ask for their own view. */
  approverUserIds?: readonly string[];
  /** A line for this viewer only, e.g. why their click was refused. */
  notice?: Said;
  /** When the card is drawn: its "next runs if approved now" count from it. */
  now: Date;
}

const facts = (r: ApprovalRequest, w: Words): Facts => [
  { title: w.card('fact.project'), value: w.card('text.asGiven', { text: r.projectName }) },
  { title: w.card('fact.runs'), value: w.card(recurrenceWords(r.recurrence)) },
  { title: w.card('fact.requestedBy'), value: w.card('text.asGiven', { text: r.requestedBy.name }) },
];

/** "Waiting for Bob Approver or Carol to approve or reject." */
export function waitingFor(r: Pick<ApprovalRequest, 'approverNames'>, w: Words = ENGLISH): CardText {
  const names = r.approverNames ?? [];
  return names.length === 0 ? w.card('approval.waitingForConfigured') : w.card('approval.waitingFor', { names: { names, join: 'or' } });
}

/** What to type to ask for the same schedule again (a command: English, whatever the person's language). */
export function askAgainCommand(r: Pick<ApprovalRequest, 'projectName' | 'recurrence'>): string {
  return `schedule ${r.projectName} ${describeRecurrence(r.recurrence)}`;
}

/** The card of a pending schedule request. */
export function approvalRequestCard(r: ApprovalRequest, view: PendingView, w: Words = ENGLISH): AdaptiveCardJson {
  return requestTemplate({
    requestId: r.id,
    summary: w.card('approval.summary', { by: r.requestedBy.name, project: r.projectName, recurrence: recurrenceWords(r.recurrence), expires: { moment: r.expiresAt } }),
    facts: facts(r, w),
    nextRuns: nextRunTimes(r.recurrence, view.now).map((at) => ({ when: w.card('text.asGiven', { text: { moment: at.toISOString() } }) })),
    hasWarning: Boolean(r.limitWarning),
    limitWarning: r.limitWarning ? w.card(r.limitWarning) : '',
    hasNotice: Boolean(view.notice),
    notice: view.notice ? w.card(view.notice) : '',
    approverView: view.viewer === 'approver',
    approverUserIds: (view.approverUserIds ?? []).slice(0, MAX_REFRESH_USERS),
    waitingFor: waitingFor(r, w),
    // Listed approvers get their buttons by refresh; only when none is known may anyone ask for their own view.
    askForView: view.viewer !== 'approver' && (view.approverUserIds ?? []).length === 0,
  }, w);
}

// Only "saving" keeps a colour (Accent reads in Teams' three themes; Good, Warning, Attention do not): the words say the outcome.
function outcomeOf(r: ApprovalRequest): [text: Said, color: 'Default' | 'Accent'] {
  if (r.status === 'rejected') return [said('approval.outcomeRejected'), 'Default'];
  if (r.status === 'expired') return [said('approval.outcomeExpired', { expires: { moment: r.expiresAt }, command: askAgainCommand(r) }), 'Default'];
  if (r.scheduleState === 'set' && r.keptPaused) {
    const by = r.keptPaused.by && said('text.bold', { text: r.keptPaused.by.name });
    return [said('approval.outcomeKeptPaused', { kept: keptPausedText(by, r.keptPaused.at) }), 'Default'];
  }
  if (r.scheduleState === 'set' && r.scheduleMessage) return [r.scheduleMessage, 'Default'];
  if (r.scheduleState === 'set') {
    return [r.scheduledNextRunAt ? said('approval.outcomeScheduledFirst', { when: { moment: r.scheduledNextRunAt } }) : said('approval.outcomeScheduled'), 'Default'];
  }
  if (r.scheduleState === 'failed' && r.scheduleGaveUp && r.scheduleMessage) return [said('approval.outcomeNotSaved', { reason: r.scheduleMessage, command: askAgainCommand(r) }), 'Default'];
  // An older version ended an approval nobody's sign-in could save with this sentence: shown as it is, not as a refusal.
  if (r.scheduleState === 'failed' && r.scheduleMessage?.id === 'approval.noSignIn') return [r.scheduleMessage, 'Default'];
  if (r.scheduleState === 'failed') return [said('approval.outcomeRefused', { reason: r.scheduleMessage ?? said('approval.noReason') }), 'Default'];
  // Waiting to be saved (again): the message says why it was not saved yet.
  return [r.scheduleMessage ? said('approval.outcomeRetrying', { then: r.scheduleMessage }) : said('approval.outcomeSaving'), 'Accent'];
}

/**
 * Whose sign-in saved an approved schedule, when it was the approver's (the requester's could not): the schedule's run
 * watch reads with it too, so the channel should know. Nothing when hers saved it, as usual.
 */
function savedWith(r: ApprovalRequest, w: Words): Facts {
  const used = r.scheduleSignIn;
  if (r.scheduleState !== 'set' || !used?.insteadOfRequester) return [];
  return [{ title: w.card('fact.savedWith'), value: w.card('approval.savedWithSignIn', { name: used.by.name, why: used.insteadOfRequester }) }];
}

/** The card of a decided or expired request, the same for everyone. */
export function approvalDecidedCard(r: ApprovalRequest, notice?: Said, w: Words = ENGLISH): AdaptiveCardJson {
  if (r.status === 'pending') throw new Error('approvalDecidedCard needs a decided request');
  const [outcome, outcomeColor] = outcomeOf(r);
  const decided = r.decidedBy ? [{ title: w.card(r.status === 'approved' ? 'fact.approvedBy' : 'fact.rejectedBy'), value: w.card('text.asGiven', { text: r.decidedBy.name }) }] : [];
  const about = { project: r.projectName, recurrence: recurrenceWords(r.recurrence) };
  return decidedTemplate({
    headline: w.card('approval.headline', { status: r.status }), outcome: w.card(outcome), outcomeColor,
    summary: r.decidedAt ? w.card('approval.decidedSummaryAt', { ...about, when: { moment: r.decidedAt } }) : w.card('approval.decidedSummary', about),
    facts: [...facts(r, w), ...decided, ...savedWith(r, w)],
    hasComment: Boolean(r.comment),
    comment: r.comment ? w.card('approval.quoted', { comment: { long: r.comment } }) : '',
    hasNotice: Boolean(notice),
    notice: notice ? w.card(notice) : '',
    askAgain: r.status === 'expired' || r.status === 'rejected' ? askAgainCommand(r) : '',
  }, w);
}

/** The card for a request as it stands: pending (per viewer) or decided. */
export function approvalCard(r: ApprovalRequest, view: PendingView, w: Words = ENGLISH): AdaptiveCardJson {
  return r.status === 'pending' ? approvalRequestCard(r, view, w) : approvalDecidedCard(r, view.notice, w);
}

const ISO_MOMENT = /\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z/g;

/** An older entry's plain-text detail ("next run <ISO>"): shown literally, except the moments in it, which Teams shows in the reader's date format. */
function withCardDates(detail: Said): Said {
  const text = detail.id === 'text.asGiven' ? detail.params?.text : undefined;
  const plain = typeof text === 'object' && 'long' in text ? text.long : undefined;
  if (plain === undefined) return detail;
  const moments = plain.match(ISO_MOMENT) ?? [];
  const pieces: Said[] = plain.split(ISO_MOMENT).flatMap((part, i) => [
    ...(part.trim() ? [said('text.asGiven', { text: { long: part } })] : []),
    ...(moments[i] ? [said('text.asGiven', { text: { moment: moments[i] } })] : []),
  ]);
  return pieces.reduce((line, piece) => said('text.two', { first: line, second: piece }));
}

/** "history PROJECT": who asked, who decided, and what the service did, newest first; `entries` are only those this person may see, so the total a long card names counts no hidden one. */
export function approvalHistoryCard(projectName: string, entries: readonly AuditEntry[], w: Words = ENGLISH): AdaptiveCardJson {
  const lines = entries.map((e) => {
      const action = said('history.action', { action: e.action });
      let line = e.actor ? said('history.by', { name: e.actor.name, action }) : action;
      if (e.signIn) line = said('history.signIn', { line, name: e.signIn.by.name, why: e.signIn.insteadOfRequester ?? 'requester' });
      if (e.detail) line = said('history.detail', { line, detail: withCardDates(e.detail) });
      if (e.comment) line = said('history.comment', { line, comment: { long: e.comment } });
      return { when: w.card('text.asGiven', { text: { moment: e.at } }), line: w.card(line) };
  });
  // Entries with long comments do not all fit one card: the newest as many as fit.
  return fittedCard(lines.length, (count) => historyTemplate({
    headline: w.card('history.headline', { project: projectName }),
    entries: lines.slice(0, count),
    more: count < lines.length ? w.card('history.someShown', { shown: count, total: lines.length }) : '',
  }, w));
}
