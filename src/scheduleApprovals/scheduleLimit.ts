import type { DataIntegration, ProjectSummary } from '../integration/port';
import { said, type Said } from '../words/words';

/** Data Integration allows 50 scheduled projects per paid tenant. */
export const TENANT_SCHEDULE_LIMIT = 50;
/** From this many scheduled projects on, a request says the limit is near. */
export const SCHEDULE_LIMIT_WARNING_AT = 45;

const CONCURRENT_LOOKUPS = 5;

/** How many of `projects` have a recurring schedule (paused ones still count against the limit). */
export async function countScheduledProjects(integration: DataIntegration, projects: readonly ProjectSummary[]): Promise<number> {
  let count = 0;
  for (let i = 0; i < projects.length; i += CONCURRENT_LOOKUPS) {
    const schedules = await Promise.all(projects.slice(i, i + CONCURRENT_LOOKUPS).map((p) => integration.getSchedule(p.name)));
    count += schedules.filter((s) => s.recurrence.kind === 'recurring').length;
  }
  return count;
}

/** The warning for a request that would make `others + 1` scheduled projects; none while far from the limit. */
export function limitWarning(others: number): Said | undefined {
  if (others >= TENANT_SCHEDULE_LIMIT) {
    return said('limit.reached', { others, limit: TENANT_SCHEDULE_LIMIT });
  }
  const after = others + 1;
  if (after >= SCHEDULE_LIMIT_WARNING_AT) {
    return said('limit.near', { after, limit: TENANT_SCHEDULE_LIMIT });
  }
  return undefined;
}
