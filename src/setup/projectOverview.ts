import { DataIntegration, Execution, Schedule } from '../integration/port';
import { AdaptiveCardJson, literal, renderCard } from '../render/cardRenderer';

function lastRunText(e: Execution | undefined): string {
  if (!e) return 'never run';
  const when = e.endedAt ?? e.startedAt;
  return `${e.status}, ${e.upserts} upserts, ${e.errorCount} errors (${when.replace('T', ' ').slice(0, 16)} UTC)`;
}

function scheduleText(s: Schedule): string {
  if (s.recurrence.kind === 'manual') return 'run manually';
  const every = `every ${s.recurrence.every} ${s.recurrence.unit}`;
  return s.paused ? `${every} (paused)` : s.nextRunAt ? `${every}, next ${s.nextRunAt.replace('T', ' ').slice(0, 16)} UTC` : every;
}

/** "status": every project with its last run and its schedule. */
export async function projectOverviewCard(di: DataIntegration): Promise<AdaptiveCardJson> {
  const projects = await di.listProjects();
  const rows = await Promise.all(
    projects.map(async (p) => {
      const [executions, schedule] = await Promise.all([di.listExecutions(p.name), di.getSchedule(p.name)]);
      return { name: literal(p.displayName || p.name), lastRun: lastRunText(executions[0]), schedule: scheduleText(schedule) };
    }),
  );
  return renderCard('projectList', { projects: rows });
}
