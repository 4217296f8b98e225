import type { RunAlert, RunOutcome } from '../notifications/watchDecision';
import { unreadableNote } from '../integration/errorCatalogue';
import type { AlertPresenter } from '../notifications/watchAlert';
import { AdaptiveCardJson, cardAttachment, cardTemplate, literal } from './cardRenderer';
import { cardDateTime, durationFact, durationText, recordErrorLine } from './cardText';
import { runResultCard } from './projectCards';

/** Where "Open in admin center" leads: the Data Integration portal (its host is configuration). */
export const DEFAULT_ADMIN_URL = 'https://dataintegrator.trafficmanager.net';

const alertTemplate = cardTemplate<{
  headline: string; color: string; facts: Array<{ title: string; value: string }>; timing: string; hasMessage: boolean; message: string;
  errorsHeading: string; errors: Array<{ line: string }>; hasMoreErrors: boolean; moreErrors: string; projectName: string;
  executionId: string; canPause: boolean; canResume: boolean; canShowErrors: boolean; adminUrl: string;
}>('runAlert');
const digestTemplate = cardTemplate<{
  headline: string; color: string; summary: string; runs: Array<{ status: string; color: string; detail: string }>; hasMore: boolean;
  more: string; canShowErrors: boolean; errorExecutionId: string; projectName: string; adminUrl: string;
}>('runDigest');
const stalledTemplate = cardTemplate<{ headline: string; color: string; detail: string; recovered: boolean; projectName: string; adminUrl: string }>('scheduleStalled');
const signInTemplate = cardTemplate<{ headline: string; detail: string }>('signInNeeded');

const OUTCOMES: Record<RunOutcome, { text: string; icon: string; color: string }> = {
  succeeded: { text: 'succeeded', icon: '✅', color: 'Good' },
  warning: { text: 'finished with errors', icon: '⚠️', color: 'Warning' },
  failed: { text: 'failed', icon: '❌', color: 'Attention' },
};

function nextRunText(alert: RunAlert): string {
  if (alert.schedule === 'paused') return 'Schedule paused.';
  if (alert.schedule === 'manual') return 'Not scheduled: runs only when started.';
  if (!alert.nextRunAt) return 'Next run: not announced yet.';
  // A next run the service announced before this one finished is already due: say so rather than repeat the same minute.
  return alert.nextRunAt > alert.endedAt ? `Next run ${cardDateTime(alert.nextRunAt)}.` : 'Next run: due now.';
}

/** The card of one finished run; `expanded` lists all the errors it was given (the "Show errors" view). */
export function runAlertCard(alert: RunAlert, adminUrl = DEFAULT_ADMIN_URL, expanded = false): AdaptiveCardJson {
  const o = OUTCOMES[alert.outcome];
  return alertTemplate({
    headline: `${o.icon} ${literal(alert.projectName)} ${o.text}`,
    color: o.color,
    facts: [
      { title: 'Status', value: o.text },
      { title: 'Upserts', value: String(alert.upserts) },
      { title: 'Errors', value: String(alert.errorCount) },
      ...durationFact(alert.durationMs),
      { title: 'Run', value: literal(alert.executionId) },
    ],
    timing: `Finished ${cardDateTime(alert.endedAt)}. ${nextRunText(alert)}`,
    hasMessage: Boolean(alert.message),
    message: literal(alert.message ?? ''),
    errorsHeading: expanded ? 'Rejected records' : 'First rejected records',
    errors: alert.recordErrors.map((e) => ({ line: recordErrorLine(e) })),
    hasMoreErrors: alert.moreErrors > 0,
    moreErrors: `…and ${alert.moreErrors} more. The admin center lists every rejected record for 45 days.`,
    projectName: alert.projectName,
    executionId: alert.executionId,
    canPause: alert.schedule === 'recurring',
    canResume: alert.schedule === 'paused',
    canShowErrors: !expanded && alert.moreErrors > 0,
    adminUrl,
  });
}

/** How many runs a digest lists one by one. */
export const DIGEST_ROWS = 15;

/** One card for many runs that finished while the bot was not looking (e.g. after a restart), oldest first. */
export function runDigestCard(alerts: readonly RunAlert[], adminUrl = DEFAULT_ADMIN_URL): AdaptiveCardJson {
  const count = (outcome: RunOutcome) => alerts.filter((a) => a.outcome === outcome).length;
  const worst: RunOutcome = count('failed') ? 'failed' : count('warning') ? 'warning' : 'succeeded';
  const shown = alerts.slice(-DIGEST_ROWS);
  const lastWithErrors = [...alerts].reverse().find((a) => a.errorCount > 0);
  const projectName = alerts[0]?.projectName ?? '';
  return digestTemplate({
    headline: `${OUTCOMES[worst].icon} ${alerts.length} runs of ${literal(projectName)} finished since my last alert`,
    color: OUTCOMES[worst].color,
    summary: `${count('succeeded')} succeeded, ${count('warning')} finished with errors, ${count('failed')} failed.`,
    runs: shown.map((a) => ({
      status: `${OUTCOMES[a.outcome].icon} ${a.outcome}`,
      color: OUTCOMES[a.outcome].color,
      detail: `${cardDateTime(a.endedAt)}: ${a.upserts} upserts, ${a.errorCount} errors${a.durationMs === undefined ? '' : `, ${durationText(a.durationMs)}`}${a.message ? `. ${literal(a.message)}` : ''}`,
    })),
    hasMore: alerts.length > shown.length,
    more: `The ${alerts.length - shown.length} earlier runs are in the admin center.`,
    canShowErrors: Boolean(lastWithErrors),
    errorExecutionId: lastWithErrors?.executionId ?? '',
    projectName,
    adminUrl,
  });
}

/** The one alert when a schedule stops firing, or the one when it fires again. */
export function scheduleStalledCard(input: { projectName: string; recurrenceText: string; lastRunAt: string; recovered: boolean }, adminUrl = DEFAULT_ADMIN_URL): AdaptiveCardJson {
  const name = literal(input.projectName);
  return stalledTemplate({
    headline: input.recovered ? `▶️ The schedule of ${name} runs again` : `⏸️ The schedule of ${name} has stalled`,
    color: input.recovered ? 'Good' : 'Attention',
    detail: input.recovered
      ? `A run started ${cardDateTime(input.lastRunAt)}.`
      : `It should run ${input.recurrenceText}, but no run has started since ${cardDateTime(input.lastRunAt)}.`,
    recovered: input.recovered,
    projectName: input.projectName,
    adminUrl,
  });
}

/** Said once when the watcher has no working sign-in for a project. */
export function signInNeededCard(projectName: string, ownerName: string): AdaptiveCardJson {
  return signInTemplate({
    headline: `Sign-in needed to keep watching ${literal(projectName)}`,
    detail: `I read the run history of ${literal(projectName)} with ${literal(ownerName)}'s sign-in, and it no longer works (expired or revoked). ${literal(ownerName)}, select Sign in (or type "status") to sign in again; the alerts resume by themselves.`,
  });
}

const unreadableTemplate = cardTemplate<{ headline: string; detail: string; footnote: string; adminUrl: string }>('projectUnreadable');

/** Said once when a watched project's runs could not be read for a while. */
export function projectUnreadableCard(projectName: string, why: string, adminUrl = DEFAULT_ADMIN_URL): AdaptiveCardJson {
  return unreadableTemplate({ ...unreadableNote(literal(projectName), literal(why)), adminUrl });
}

/** The run watcher's alerts as cards; `adminUrl` is where "Open in admin center" leads. */
export function alertPresenter(adminUrl = DEFAULT_ADMIN_URL): AlertPresenter {
  return (alert) => {
    switch (alert.kind) {
      case 'run': return cardAttachment(runAlertCard(alert.alert, adminUrl));
      case 'digest': return cardAttachment(runDigestCard(alert.alerts, adminUrl));
      case 'stalled': return cardAttachment(scheduleStalledCard(alert, adminUrl));
      case 'signInNeeded': return cardAttachment(signInNeededCard(alert.projectName, alert.ownerName));
      case 'runResult': return cardAttachment(runResultCard(alert.projectName, alert.execution));
      case 'unreadable': return cardAttachment(projectUnreadableCard(alert.projectName, alert.why, adminUrl));
    }
  };
}
