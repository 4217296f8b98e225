import { recurrenceWords } from '../recurrence/recurrence';
import type { Execution } from '../integration/port';
import type { ProjectOverview } from '../projects/projectOverview';
import { ENGLISH, said, type CardText, type MessageId, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate } from './cardRenderer';
import { outcomeOf, RESULT_ERROR_COUNT, runDurationMs } from '../notifications/watchDecision';
import { durationFact, recordErrorLine } from './cardText';
import { fittedCard } from './cardFit';

const listTemplate = cardTemplate<{
  projects: Array<{
    name: CardText; projectName: string; lastRun: CardText; running: CardText | ''; schedule: CardText; request: CardText | ''; canPause: boolean; canResume: boolean;
  }>;
  /** Said below the title when some projects are left out: how many are shown, and how to reach the others. */
  more: CardText | '';
  /** Said instead of the list when no project has the name part typed with "status". */
  noMatch: CardText | '';
  /** What Pause and Resume redraw (statusView): the same projects, those named as typed with "status". */
  view: string;
}>('projectList');
const resultTemplate = cardTemplate<{
  headline: CardText; color: string; facts: Array<{ title: CardText; value: CardText }>;
  recordErrors: Array<{ line: CardText }>; nextStep: CardText | ''; done: boolean; projectName: string;
}>('runResult');

// Only "running" keeps a colour: Accent reads at 4.5:1 or more in Teams' three themes; Good, Warning and Attention
// do not (see runCards.ts). The headline's words say the outcome.
const STATUSES: Record<Execution['status'], [text: MessageId, color: 'Default' | 'Accent']> = {
  queued: ['outcome.queued', 'Default'], running: ['outcome.running', 'Accent'], succeeded: ['outcome.succeeded', 'Default'],
  warning: ['outcome.warning', 'Default'], failed: ['outcome.failed', 'Default'],
};

function lastRunText(e: Execution | undefined): Said {
  if (!e) return said('list.neverRun');
  return said('list.lastRun', { outcome: said(STATUSES[e.status][0]), upserts: e.upserts, errors: e.errorCount, when: { moment: e.endedAt ?? e.startedAt } });
}

function scheduleText({ schedule, pausedBy }: ProjectOverview): Said {
  const every = recurrenceWords(schedule.recurrence);
  if (schedule.recurrence.kind === 'manual') return every;
  if (schedule.paused) {
    return pausedBy?.by ? said('list.pausedBy', { recurrence: every, by: pausedBy.by.name, when: { moment: pausedBy.at } }) : said('list.paused', { recurrence: every });
  }
  return schedule.nextRunAt ? said('list.next', { recurrence: every, when: { moment: schedule.nextRunAt } }) : every;
}

/** A run going now: queued or running, since when. */
function runningText(e: Execution): Said {
  return said('list.running', { status: e.status, when: { moment: e.startedAt ?? e.submittedAt } });
}

/** A schedule request waiting: for what, who asked, when, and until when it stays open. */
function requestText(r: NonNullable<ProjectOverview['pendingRequest']>): Said {
  return said('list.request', { recurrence: recurrenceWords(r.recurrence), by: r.requestedBy.name, when: { moment: r.requestedAt }, expires: { moment: r.expiresAt } });
}

/** The `view` a status card's Pause and Resume carry: "status", or "status:NAME" for a card typed with a name part. */
export const statusView = (filter = ''): string => (filter ? `status:${filter}` : 'status');

/** The name part of a status card's `view` (undefined for a card of every project); null when `view` is no status card's. */
export function statusFilterOf(view: unknown): string | undefined | null {
  if (view === 'status') return undefined;
  return typeof view === 'string' && view.startsWith('status:') ? view.slice('status:'.length) : null;
}

/** Which projects "status" keeps when not all fit: a run going, then a last run that failed or had errors, then a request waiting, then the rest. */
const needsALook = (p: ProjectOverview) => (p.running ? 0 : p.lastRun?.status === 'failed' || p.lastRun?.status === 'warning' ? 1 : p.pendingRequest ? 2 : 3);

/**
 * "status": the projects (those whose name contains `filter`, as projectOverview chose them) with their last run, a run
 * going, their schedule, and a schedule request waiting. As many as fit in one card, in the service's order; when some
 * are left out, those that need a look are kept, and the card says how many it shows and how to reach the others.
 */
export function projectListCard(offered: readonly ProjectOverview[], w: Words = ENGLISH, filter = ''): AdaptiveCardJson {
  const byNeed = offered.map((p, i) => ({ p, i })).sort((a, b) => needsALook(a.p) - needsALook(b.p) || a.i - b.i);
  const render = (count: number) => listTemplate({
    projects: byNeed.slice(0, count).sort((a, b) => a.i - b.i).map(({ p }) => ({
      name: w.card('list.name', { name: p.name }),
      projectName: p.projectName ?? p.name,
      lastRun: w.card(lastRunText(p.lastRun)),
      running: p.running ? w.card(runningText(p.running)) : '',
      schedule: w.card(scheduleText(p)),
      request: p.pendingRequest ? w.card(requestText(p.pendingRequest)) : '',
      canPause: p.schedule.recurrence.kind === 'recurring' && !p.schedule.paused,
      canResume: p.schedule.recurrence.kind === 'recurring' && p.schedule.paused,
    })),
    more: count < offered.length ? w.card(filter ? 'list.someShownFiltered' : 'list.someShown', { shown: count, total: offered.length, filter }) : '',
    noMatch: filter && !offered.length ? w.card('list.noMatch', { filter }) : '',
    view: statusView(filter),
  }, w);
  return fittedCard(offered.length, render);
}

/**
 * The card of a run started from chat: running, or its result with the first rejected records and what to do next.
 * `endedBy`: the service gave no end time, and the watcher first saw the run finished then.
 */
export function runResultCard(projectName: string, execution: Pick<Execution, 'status'> & Partial<Execution>, w: Words = ENGLISH, endedBy?: string): AdaptiveCardJson {
  const [status, color] = STATUSES[execution.status];
  // Finished by its status: the service may list a finished run without an end time.
  const done = outcomeOf(execution.status) !== undefined;
  const finishedBy = !execution.endedAt && endedBy ? [{ title: w.card('fact.finished'), value: w.card('run.endedBy', { when: { moment: endedBy } }) }] : [];
  const next = execution.status === 'failed' || execution.status === 'warning' ? said('run.nextStepFix', { project: projectName })
    : execution.status === 'succeeded' ? said('run.nextStepSchedule', { project: projectName }) : undefined;
  const count = (n: number | undefined) => w.card('text.number', { n: n ?? 0 });
  return resultTemplate({
    headline: w.card('run.titled', { project: projectName, outcome: said(status) }),
    color,
    facts: done
      ? [
          { title: w.card('fact.status'), value: w.card(status) },
          { title: w.card('fact.upserts'), value: count(execution.upserts) },
          { title: w.card('fact.errors'), value: count(execution.errorCount) },
          ...durationFact(runDurationMs(execution), w),
          ...finishedBy,
          ...(execution.message ? [{ title: w.card('fact.reason'), value: w.card('text.asGiven', { text: { long: execution.message } }) }] : []),
        ]
      : [{ title: w.card('fact.status'), value: w.card(status) }],
    recordErrors: (execution.recordErrors ?? []).slice(0, RESULT_ERROR_COUNT).map((e) => ({ line: recordErrorLine(e, w) })),
    nextStep: done && next ? w.card(next) : '',
    done,
    projectName,
  }, w);
}
