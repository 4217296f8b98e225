import { z } from 'zod';
import { failureText } from '../../integration/errorCatalogue';
import { outcomeOf, runAlertOf } from '../../notifications/runAlert';
import { plainDateTime } from '../../render/cardText';
import { runAlertCard } from '../../render/runCards';
import { VERBS } from '../../verbs';
import { ActionReply, CardAction } from '../../teams/cardActions';
import type { DataIntegrationSource } from '../../teams/dataIntegrationSource';
import type { Schedule } from '../../integration/port';

/** How many rejected records "Show errors" lists; the admin center has them all. */
export const SHOWN_ERRORS = 25;

const projectSchema = z.object({ projectName: z.string().min(1).max(200) });
const executionSchema = projectSchema.extend({ executionId: z.string().min(1).max(200) });

const failure = (err: unknown, what: string): ActionReply => ({ text: failureText(err, what) });

/** The buttons of run alerts: run again, pause or resume the schedule, show the rejected records. They act with the clicker's sign-in. */
export function alertActions(source: DataIntegrationSource, adminUrl?: string): Record<string, CardAction> {
  const withProject = (what: (name: string) => string, act: (name: string, di: Awaited<ReturnType<DataIntegrationSource>>, data: Record<string, unknown>) => Promise<ActionReply>): CardAction =>
    async (context, data) => {
      const parsed = projectSchema.safeParse(data);
      if (!parsed.success) return { text: 'This button is missing its project. Type "status" to see the projects.' };
      try {
        return await act(parsed.data.projectName, await source(context), data);
      } catch (err) {
        return failure(err, what(parsed.data.projectName));
      }
    };

  /** The alert card that was clicked, redrawn with the schedule as it now stands (Pause becomes Resume); undefined without its run. */
  const alertAsItStands = async (di: Awaited<ReturnType<DataIntegrationSource>>, projectName: string, data: Record<string, unknown>, schedule: Schedule) => {
    const parsed = executionSchema.safeParse(data);
    if (!parsed.success) return undefined;
    const execution = await di.getExecution(projectName, parsed.data.executionId).catch(() => undefined);
    const outcome = execution && outcomeOf(execution.status);
    return execution && outcome ? runAlertCard(runAlertOf(execution, outcome, schedule), adminUrl) : undefined;
  };

  return {
    [VERBS.runAgain]: withProject((p) => `run "${p}"`, async (name, di) => {
      await di.runProject(name);
      return { text: `Started a run of "${name}". Its result follows in this thread.` };
    }),
    [VERBS.pauseSchedule]: withProject((p) => `pause the schedule of "${p}"`, async (name, di, data) => {
      const schedule = await di.pauseSchedule(name);
      return { text: `Paused the schedule of "${name}". It does not run on its own until resumed.`, card: await alertAsItStands(di, name, data, schedule) };
    }),
    [VERBS.resumeSchedule]: withProject((p) => `resume the schedule of "${p}"`, async (name, di, data) => {
      const schedule = await di.resumeSchedule(name);
      return {
        text: `Resumed the schedule of "${name}"${schedule.nextRunAt ? `; next run ${plainDateTime(schedule.nextRunAt)}` : ''}.`,
        card: await alertAsItStands(di, name, data, schedule),
      };
    }),
    [VERBS.showRunErrors]: async (context, data) => {
      const parsed = executionSchema.safeParse(data);
      if (!parsed.success) return { text: 'This button is missing its run. Open the admin center to see the errors.' };
      const { projectName, executionId } = parsed.data;
      try {
        const di = await source(context);
        const [execution, schedule] = await Promise.all([di.getExecution(projectName, executionId), di.getSchedule(projectName)]);
        const outcome = outcomeOf(execution.status);
        if (!outcome) return { text: `That run of "${projectName}" has not finished yet.` };
        const alert = runAlertOf(execution, outcome, schedule, SHOWN_ERRORS);
        return { card: runAlertCard(alert, adminUrl, true), text: `The rejected records of "${projectName}":`, postCardOnSubmit: true };
      } catch (err) {
        return failure(err, `read the errors of "${projectName}"`);
      }
    },
  };
}
