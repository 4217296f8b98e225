import { recurrenceWords } from '../recurrence/recurrence';
import type { Execution } from '../integration/port';
import type { ProjectOverview } from '../projects/projectOverview';
import { ENGLISH, said, type CardText, type MessageId, type Said, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate } from './cardRenderer';
import { outcomeOf, RESULT_ERROR_COUNT, runDurationMs } from '../notifications/watchDecision';
import { durationFact, recordErrorLine } from './cardText';

const listTemplate = cardTemplate<{ projects: Array<{
  name: CardText; projectName: string; lastRun: CardText; running: CardText | ''; schedule: CardText; request: CardText | ''; canPause: boolean; canResume: boolean;
}> }>('projectList');
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

/** "status": every project with its last run, a run going, its schedule, and a schedule request waiting. */
export function projectListCard(projects: readonly ProjectOverview[], w: Words = ENGLISH): AdaptiveCardJson {
  return listTemplate({ projects: projects.map((p) => ({
    name: w.card('list.name', { name: p.name }),
    projectName: p.projectName ?? p.name,
    lastRun: w.card(lastRunText(p.lastRun)),
    running: p.running ? w.card(runningText(p.running)) : '',
    schedule: w.card(scheduleText(p)),
    request: p.pendingRequest ? w.card(requestText(p.pendingRequest)) : '',
    canPause: p.schedule.recurrence.kind === 'recurring' && !p.schedule.paused,
    canResume: p.schedule.recurrence.kind === 'recurring' && p.schedule.paused,
  })) }, w);
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
