import { z } from 'zod';
import { isDataIntegrationError } from '../integration/port';
import { outcomeOf, runAlertOf } from '../notifications/runAlert';
import { runAlertCard } from '../render/runCards';
import { VERBS } from '../render/verbs';
import { echo, projectNameProblem } from '../text/sanitize';
import { ActionReply, CardAction } from './cardActions';
import type { DataIntegrationSource } from './dataIntegrationSource';

/** How many rejected records "Show errors" lists; the admin center has them all. */
export const SHOWN_ERRORS = 25;

const projectSchema = z.object({ projectName: z.string().min(1).max(200) });
const executionSchema = projectSchema.extend({ executionId: z.string().min(1).max(200) });

const failure = (err: unknown, what: string): ActionReply => {
  if (!isDataIntegrationError(err)) throw err;
  if (err.code === 'no_token' || err.code === 'unauthorized') return { text: `Sign in first to ${what}: type "status".` };
  return { text: `I could not ${what}: ${err.message}` };
};

/** The buttons of run alerts: run again, pause or resume the schedule, show the rejected records. They act with the clicker's sign-in. */
export function alertActions(source: DataIntegrationSource, adminUrl?: string): Record<string, CardAction> {
  const withProject = (what: (name: string) => string, act: (name: string, di: Awaited<ReturnType<DataIntegrationSource>>) => Promise<ActionReply>): CardAction =>
    async (context, data) => {
      const parsed = projectSchema.safeParse(data);
      if (!parsed.success) return { text: 'This button is missing its project. Type "status" to see the projects.' };
      const nameProblem = projectNameProblem(parsed.data.projectName);
      if (nameProblem) return { text: nameProblem };
      try {
        return await act(parsed.data.projectName, await source(context));
      } catch (err) {
        return failure(err, what(parsed.data.projectName));
      }
    };

  return {
    [VERBS.runAgain]: withProject((p) => `run "${echo(p)}"`, async (name, di) => {
      await di.runProject(name);
      return { text: `Started a run of "${echo(name)}". Its result follows in this thread.` };
    }),
    [VERBS.pauseSchedule]: withProject((p) => `pause the schedule of "${echo(p)}"`, async (name, di) => {
      await di.pauseSchedule(name);
      return { text: `Paused the schedule of "${echo(name)}". It does not run on its own until resumed.` };
    }),
    [VERBS.resumeSchedule]: withProject((p) => `resume the schedule of "${echo(p)}"`, async (name, di) => {
      const schedule = await di.resumeSchedule(name);
      return { text: `Resumed the schedule of "${echo(name)}"${schedule.nextRunAt ? `; next run ${schedule.nextRunAt}` : ''}.` };
    }),
    [VERBS.showRunErrors]: async (context, data) => {
      const parsed = executionSchema.safeParse(data);
      if (!parsed.success) return { text: 'This button is missing its run. Open the admin center to see the errors.' };
      const { projectName, executionId } = parsed.data;
      const nameProblem = projectNameProblem(projectName);
      if (nameProblem) return { text: nameProblem };
      try {
        const di = await source(context);
        const [execution, schedule] = await Promise.all([di.getExecution(projectName, executionId), di.getSchedule(projectName)]);
        const outcome = outcomeOf(execution.status);
        if (!outcome) return { text: `That run of "${echo(projectName)}" has not finished yet.` };
        const alert = runAlertOf(execution, outcome, schedule, SHOWN_ERRORS);
        return { card: runAlertCard(alert, adminUrl, true), text: `The rejected records of "${echo(projectName)}":`, postCardOnSubmit: true };
      } catch (err) {
        return failure(err, `read the errors of "${echo(projectName)}"`);
      }
    },
  };
}
