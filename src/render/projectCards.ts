import { describeRecurrence } from '../scheduleApprovals/recurrence';
import type { Execution } from '../integration/port';
import type { ProjectOverview } from '../setupRules/projectOverview';
import { AdaptiveCardJson, cardTemplate, literal } from './cardRenderer';
import { RESULT_ERROR_COUNT, runDurationMs } from '../notifications/watchDecision';
import { cardDateTime, durationFact, recordErrorLine } from './cardText';

const listTemplate = cardTemplate<{ projects: Array<{ name: string; projectName: string; lastRun: string; schedule: string; canPause: boolean; canResume: boolean }> }>('projectList');
const resultTemplate = cardTemplate<{
  headline: string; color: string; facts: Array<{ title: string; value: string }>;
  recordErrors: Array<{ line: string }>; nextStep: string; done: boolean; projectName: string;
}>('runResult');

function lastRunText(e: Execution | undefined): string {
  if (!e) return 'never run';
  return `${HEADLINES[e.status][0]}, ${plural(e.upserts, 'upsert')}, ${plural(e.errorCount, 'error')} (${cardDateTime(e.endedAt ?? e.startedAt)})`;
}

function scheduleText({ schedule }: ProjectOverview): string {
  const every = describeRecurrence(schedule.recurrence);
  if (schedule.recurrence.kind === 'manual') return every;
  return schedule.paused ? `${every}, paused` : schedule.nextRunAt ? `${every}, next ${cardDateTime(schedule.nextRunAt)}` : every;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "status": every project with its last run and its schedule. */
export function projectListCard(projects: readonly ProjectOverview[]): AdaptiveCardJson {
  return listTemplate({ projects: projects.map((p) => ({
    name: literal(p.name),
    projectName: p.projectName ?? p.name,
    lastRun: lastRunText(p.lastRun),
    schedule: scheduleText(p),
    canPause: p.schedule.recurrence.kind === 'recurring' && !p.schedule.paused,
    canResume: p.schedule.recurrence.kind === 'recurring' && p.schedule.paused,
  })) });
}

const HEADLINES = {
  queued: ['is queued', 'Default'], running: ['is running…', 'Accent'], succeeded: ['succeeded', 'Good'],
  warning: ['finished with errors', 'Warning'], failed: ['failed', 'Attention'],
} as const;

/** The card of a run started from chat: running, or its result with the first rejected records and what to do next. */
export function runResultCard(projectName: string, execution: Pick<Execution, 'status'> & Partial<Execution>): AdaptiveCardJson {
  const [verb, color] = HEADLINES[execution.status];
  const done = execution.endedAt !== undefined;
  const next = execution.status === 'failed' || execution.status === 'warning'
    ? `Fix the rejected records in the source, then click "Run again" (or type "run ${projectName}"); the records are retried at the next run.`
    : execution.status === 'succeeded' ? `Click "Schedule every 5 minutes" to have an approver put it on a schedule (or type "schedule ${projectName} every 2 hours"), or "status" to see all projects.` : '';
  return resultTemplate({
    headline: `${literal(projectName)} ${verb}`,
    color,
    facts: done
      ? [
          { title: 'Status', value: verb },
          { title: 'Upserts', value: String(execution.upserts ?? 0) },
          { title: 'Errors', value: String(execution.errorCount ?? 0) },
          ...durationFact(runDurationMs(execution)),
          ...(execution.message ? [{ title: 'Reason', value: execution.message }] : []),
        ]
      : [{ title: 'Status', value: verb }],
    recordErrors: (execution.recordErrors ?? []).slice(0, RESULT_ERROR_COUNT).map((e) => ({ line: recordErrorLine(e) })),
    nextStep: done ? literal(next) : '',
    done,
    projectName,
  });
}
