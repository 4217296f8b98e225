import type { RunAlert, RunOutcome } from '../notifications/watchAlert';
import type { AlertPresenter } from '../notifications/watchAlert';
import { recurrenceWords } from '../recurrence/recurrence';
import type { Recurrence } from '../integration/port';
import { ENGLISH, said, type CardText, type MessageId, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardAttachment, cardTemplate } from './cardRenderer';
import { fittedCard } from './cardFit';
import { durationFact, durationWords, recordErrorLine } from './cardText';
import { runResultCard } from './projectCards';

/** Where "Open in admin center" leads: the Data Integration portal (its host is configuration). */
export const DEFAULT_ADMIN_URL = 'https://dataintegrator.trafficmanager.net';

type Facts = Array<{ title: CardText; value: CardText }>;
const alertTemplate = cardTemplate<{
  headline: CardText; facts: Facts; timing: CardText; hasMessage: boolean; message: CardText;
  errorsHeading: CardText; errors: Array<{ line: CardText }>; hasMoreErrors: boolean; moreErrors: CardText; projectName: string;
  executionId: string; canPause: boolean; canResume: boolean; canShowErrors: boolean; adminUrl: string;
}>('runAlert');
const digestTemplate = cardTemplate<{
  headline: CardText; summary: CardText; runs: Array<{ status: CardText; detail: CardText }>; hasMore: boolean;
  more: CardText; canShowErrors: boolean; errorExecutionId: string; projectName: string; adminUrl: string;
}>('runDigest');
/** The schedule's notes: stalled (with advice and "Run now"), runs again, or a run in progress for very long. */
const stalledTemplate = cardTemplate<{ headline: CardText; detail: CardText; stalled: boolean; projectName: string; adminUrl: string }>('scheduleStalled');

// No outcome colour: Teams' light theme shows Good and Warning text under 2.1:1, its dark theme Attention at 3.2:1, and
// high contrast shows them all as plain text. The icon and the words carry the outcome in every theme.
const OUTCOMES: Record<RunOutcome, { text: MessageId; icon: string }> = {
  succeeded: { text: 'outcome.succeeded', icon: '✅' },
  warning: { text: 'outcome.warning', icon: '⚠️' },
  failed: { text: 'outcome.failed', icon: '❌' },
};

function nextRunText(alert: RunAlert): Said {
  if (alert.schedule === 'paused') return said('run.nextPaused');
  if (alert.schedule === 'manual') return said('run.nextManual');
  if (!alert.nextRunAt) return said('run.nextUnknown');
  // A next run the service announced before this one finished is already due: say so rather than repeat the same minute.
  return alert.nextRunAt > (alert.endedAt ?? alert.endedBy ?? alert.startedAt) ? said('run.nextAt', { when: { moment: alert.nextRunAt } }) : said('run.nextDue');
}

/** When the run ended, then its next run: at a time; by a time (the service gave none: when the watcher saw it ended); or only its start. */
function timingText(alert: RunAlert): Said {
  const next = nextRunText(alert);
  if (alert.endedAt) return said('run.timing', { when: { moment: alert.endedAt }, next });
  if (alert.endedBy) return said('run.timingBy', { when: { moment: alert.endedBy }, next });
  return said('run.timingNoEnd', { when: { moment: alert.startedAt }, next });
}

/** A run's end as a digest line starts: when, by when, or (neither known) when it started. */
function endedWhen(alert: RunAlert): Said | { moment: string } {
  if (alert.endedAt) return { moment: alert.endedAt };
  return alert.endedBy ? said('run.endedBy', { when: { moment: alert.endedBy } }) : said('run.startedOnly', { when: { moment: alert.startedAt } });
}

/** The card of one finished run; `expanded` lists all the errors it was given (the "Show errors" view). */
export function runAlertCard(alert: RunAlert, adminUrl = DEFAULT_ADMIN_URL, expanded = false, w: Words = ENGLISH): AdaptiveCardJson {
  const o = OUTCOMES[alert.outcome];
  const count = (n: number) => w.card('text.number', { n });
  const errors = alert.recordErrors.map((e) => ({ line: recordErrorLine(e, w) }));
  // Rejected records with long names and messages do not all fit one card ("Show errors" lists 25): as many as fit.
  return fittedCard(errors.length, (shown) => alertTemplate({
    headline: w.card('run.headline', { icon: o.icon, project: alert.projectName, outcome: said(o.text) }),
    facts: [
      { title: w.card('fact.status'), value: w.card(o.text) },
      { title: w.card('fact.upserts'), value: count(alert.upserts) },
      { title: w.card('fact.errors'), value: count(alert.errorCount) },
      ...durationFact(alert.durationMs, w),
      { title: w.card('fact.run'), value: w.card('text.asGiven', { text: alert.executionId }) },
    ],
    timing: w.card(timingText(alert)),
    hasMessage: Boolean(alert.message),
    message: w.card('text.asGiven', { text: { long: alert.message ?? '' } }),
    errorsHeading: w.card(expanded ? 'run.errorsHeading' : 'run.firstErrorsHeading'),
    errors: errors.slice(0, shown),
    hasMoreErrors: alert.moreErrors > 0 || shown < errors.length,
    moreErrors: shown < errors.length ? w.card('run.someErrorsShown', { shown, total: errors.length + alert.moreErrors })
      : w.card('run.moreErrors', { n: alert.moreErrors }),
    projectName: alert.projectName,
    executionId: alert.executionId,
    canPause: alert.schedule === 'recurring',
    canResume: alert.schedule === 'paused',
    canShowErrors: !expanded && alert.moreErrors > 0,
    adminUrl,
  }, w));
}

/** How many runs a digest lists one by one, at most. */
export const DIGEST_ROWS = 15;
/** Which runs a digest keeps when it cannot list them all: each outcome's newest first, what needs a look before the rest. */
const DIGEST_ORDER: readonly RunOutcome[] = ['failed', 'warning', 'succeeded'];

/**
 * One card for many runs that finished while the bot was not looking (e.g. after a restart; `alerts` oldest first): as
 * many of them as fit, at most DIGEST_ROWS, failed ones kept first, listed in the order they ended.
 */
export function runDigestCard(alerts: readonly RunAlert[], adminUrl = DEFAULT_ADMIN_URL, w: Words = ENGLISH): AdaptiveCardJson {
  const count = (outcome: RunOutcome) => alerts.filter((a) => a.outcome === outcome).length;
  const worst: RunOutcome = count('failed') ? 'failed' : count('warning') ? 'warning' : 'succeeded';
  const kept = DIGEST_ORDER.flatMap((outcome) => alerts.filter((a) => a.outcome === outcome).reverse()).slice(0, DIGEST_ROWS);
  const lastWithErrors = [...alerts].reverse().find((a) => a.errorCount > 0);
  const projectName = alerts[0]?.projectName ?? '';
  const detail = (a: RunAlert): Said => {
    const figures = { when: endedWhen(a), upserts: a.upserts, errors: a.errorCount };
    const line = a.durationMs === undefined ? said('digest.detail', figures) : said('digest.detailDuration', { ...figures, duration: durationWords(a.durationMs) });
    return a.message ? said('digest.withMessage', { detail: line, message: { long: a.message } }) : line;
  };
  const row = (a: RunAlert) => ({
    status: w.card('digest.status', { icon: OUTCOMES[a.outcome].icon, outcome: said(OUTCOMES[a.outcome].text) }),
    detail: w.card(detail(a)),
  });
  // Fifteen runs with the services' longest names and explanations come close to what Teams accepts: as many as fit.
  return fittedCard(kept.length, (shown) => digestTemplate({
    headline: w.card('digest.headline', { icon: OUTCOMES[worst].icon, count: alerts.length, project: projectName }),
    summary: w.card('digest.summary', { succeeded: count('succeeded'), warning: count('warning'), failed: count('failed') }),
    // Those kept are listed in the order they ended, as the thread's alerts are.
    runs: alerts.filter((a) => kept.slice(0, shown).includes(a)).map(row),
    hasMore: shown < alerts.length,
    more: w.card('digest.someShown', { shown, total: alerts.length }),
    canShowErrors: Boolean(lastWithErrors),
    errorExecutionId: lastWithErrors?.executionId ?? '',
    projectName,
    adminUrl,
  }, w));
}

/** The one alert when a schedule stops firing, or the one when it fires again. */
export function scheduleStalledCard(input: { projectName: string; recurrence: Recurrence; lastRunAt: string; recovered: boolean }, adminUrl = DEFAULT_ADMIN_URL, w: Words = ENGLISH): AdaptiveCardJson {
  const when = { moment: input.lastRunAt };
  return stalledTemplate({
    headline: w.card(input.recovered ? 'stalled.recovered' : 'stalled.stalled', { project: input.projectName }),
    detail: input.recovered ? w.card('stalled.recoveredDetail', { when }) : w.card('stalled.detail', { recurrence: recurrenceWords(input.recurrence), when }),
    stalled: !input.recovered,
    projectName: input.projectName,
    adminUrl,
  }, w);
}

/** The one note when a run has been in progress for very long: not a stall, so neither the stall's advice nor "Run now". */
export function longRunCard(input: { projectName: string; startedAt: string; hours: number }, adminUrl = DEFAULT_ADMIN_URL, w: Words = ENGLISH): AdaptiveCardJson {
  return stalledTemplate({
    headline: w.card('longRun.headline', { project: input.projectName, when: { moment: input.startedAt } }),
    detail: w.card('longRun.detail', { hours: input.hours }),
    stalled: false,
    projectName: input.projectName,
    adminUrl,
  }, w);
}

const signInTemplate = cardTemplate<{ headline: CardText; detail: CardText; note: CardText; ownerId: string }>('signInNeeded');

/**
 * Said once per owner and conversation when the watcher has no working sign-in for their projects: its one button signs
 * the owner in again. It names the owner, so that anyone else in the channel who clicks it keeps their own sign-in.
 */
export function signInNeededCard(alert: { projectName: string; ownerName: string; ownerId: string; more: number }, w: Words = ENGLISH): AdaptiveCardJson {
  return signInTemplate({
    headline: w.card('signInNeeded.headline', { project: alert.projectName, more: alert.more }),
    detail: w.card('signInNeeded.detail', { project: alert.projectName, owner: alert.ownerName, more: alert.more }),
    note: w.card('signInNeeded.note'),
    ownerId: alert.ownerId,
  }, w);
}

const unreadableTemplate = cardTemplate<{ headline: CardText; detail: CardText; adminUrl: string }>('projectUnreadable');

/** Said once when a watched project's runs could not be read for a while. */
export function projectUnreadableCard(projectName: string, why: Said, adminUrl = DEFAULT_ADMIN_URL, w: Words = ENGLISH): AdaptiveCardJson {
  return unreadableTemplate({ headline: w.card('unreadable.headline', { project: projectName }), detail: w.card('unreadable.detail', { why }), adminUrl }, w);
}

/** The run watcher's alerts as cards, in the watch owner's words; `adminUrl` is where "Open in admin center" leads. */
export function alertPresenter(adminUrl = DEFAULT_ADMIN_URL): AlertPresenter {
  return (alert, w) => {
    switch (alert.kind) {
      case 'run': return cardAttachment(runAlertCard(alert.alert, adminUrl, false, w));
      case 'digest': return cardAttachment(runDigestCard(alert.alerts, adminUrl, w));
      case 'stalled': return cardAttachment(scheduleStalledCard(alert, adminUrl, w));
      case 'longRun': return cardAttachment(longRunCard(alert, adminUrl, w));
      case 'signInNeeded': return cardAttachment(signInNeededCard(alert, w));
      case 'runResult': return cardAttachment(runResultCard(alert.projectName, alert.execution, w, alert.endedBy));
      case 'unreadable': return cardAttachment(projectUnreadableCard(alert.projectName, alert.why, adminUrl, w));
    }
  };
}
