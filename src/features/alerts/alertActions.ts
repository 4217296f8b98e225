import { z } from 'zod';
import { failureText } from '../../integration/errorCatalogue';
import type { Logger } from '../../logger';
import { withRecordNames } from '../../notifications/alertDelivery';
import { ALERT_ERROR_COUNT, outcomeOf, runAlertOf } from '../../notifications/watchDecision';
import type { RunOutcome } from '../../notifications/watchAlert';
import { runAlertCard } from '../../render/runCards';
import { projectListCard, statusFilterOf } from '../../render/projectCards';
import { projectOverview, type ProjectNotes } from '../../projects/projectOverview';
import { PROJECT_FILTER_MAX } from '../../commands';
import { VERBS } from '../../verbs';
import { ActionReply, CardAction } from '../../teams/cardActions';
import { verifiedPerson, type Person } from '../../person';
import type { DataIntegrationSource } from '../integrationSource';
import { projectNameProblem } from '../../setupRules/naming';
import { said, type Said, type Words } from '../../words/words';
import { replyText, wordsOf } from '../../teams/say';
import type { Execution, Schedule } from '../../integration/port';
import type { RunStarter } from '../runs/runStarter';

/** How many rejected records "Show errors" lists; the admin center has them all. */
export const SHOWN_ERRORS = 25;

const projectSchema = z.object({ projectName: z.string().min(1).max(200) });
const executionSchema = projectSchema.extend({ executionId: z.string().min(1).max(200) });

/** What the alert buttons share with the rest of the bot. */
export interface AlertActionOptions {
  adminUrl?: string;
  /** The one way runs start ("Run again" like "Run now"): one at a time per project, within the tenant's budget. */
  runs: Pick<RunStarter, 'start'>;
  /** Told after a pause or resume, so the run watcher reads the schedule again. */
  onScheduleChanged?: (projectName: string) => void;
  /** Keeps who paused or resumed, so that a later approval keeps the choice and names its author. */
  recordChoice?: (projectName: string, action: 'paused' | 'resumed', actor: Person | undefined) => Promise<void>;
  /** Where a record lookup that failed is told (the card then shows ids only). */
  logger?: Logger;
  /** What the redrawn "status" list adds: a request waiting, who paused. */
  notes?: ProjectNotes;
}

/** The buttons of run alerts: run again, pause or resume the schedule, show the rejected records. They act with the clicker's sign-in. */
export function alertActions(source: DataIntegrationSource, options: AlertActionOptions): Record<string, CardAction> {
  const { adminUrl, runs, onScheduleChanged = () => undefined, logger } = options;
  /** The choice is made at the service; failing to remember who made it must not turn it into a failure. */
  const remember = async (name: string, action: 'paused' | 'resumed', context: Parameters<CardAction>[0]) => {
    onScheduleChanged(name);
    await options.recordChoice?.(name, action, verifiedPerson(context.activity)).catch((err: unknown) => logger?.warn({ err, projectName: name, action }, 'schedule choice not recorded'));
  };
  /** The run's card (`expanded`: the "Show errors" view), the rejected records it lists named from the source (best effort). */
  const alertCard = async (words: Words, di: Awaited<ReturnType<DataIntegrationSource>>, run: Execution, outcome: RunOutcome, schedule: Schedule, expanded = false) => {
    const count = expanded ? SHOWN_ERRORS : ALERT_ERROR_COUNT;
    return runAlertCard(runAlertOf(await withRecordNames(di, run, count, { logger }), outcome, schedule, count), adminUrl, expanded, words);
  };
  const withProject = (what: (name: string) => Said, act: (name: string, di: Awaited<ReturnType<DataIntegrationSource>>, context: Parameters<CardAction>[0], data: Record<string, unknown>) => Promise<ActionReply>): CardAction =>
    async (context, data) => {
      const parsed = projectSchema.safeParse(data);
      if (!parsed.success) return { text: replyText(context, 'alert.buttonNoProject') };
      const nameProblem = projectNameProblem(parsed.data.projectName);
      if (nameProblem) return { text: replyText(context, nameProblem) };
      try {
        return await act(parsed.data.projectName, await source(context), context, data);
      } catch (err) {
        return { text: replyText(context, failureText(err, what(parsed.data.projectName))) };
      }
    };

  /**
   * The card that was clicked, redrawn with the schedule as it now stands (Pause becomes Resume): the
   * "status" list, or a run alert; undefined when it cannot be read back (the text answer stands alone).
   */
  const cardAsItStands = async (words: Words, di: Awaited<ReturnType<DataIntegrationSource>>, projectName: string, data: Record<string, unknown>, schedule: Schedule) => {
    // The change is made: a list that cannot be read now leaves the text answer alone rather than report a failure.
    const filter = statusFilterOf(data.view);
    if (filter !== null) {
      const part = filter?.slice(0, PROJECT_FILTER_MAX);
      return projectOverview(di, options.notes, part).then((list) => projectListCard(list, words, part), () => undefined);
    }
    const parsed = executionSchema.safeParse(data);
    if (!parsed.success) return undefined;
    const execution = await di.getExecution(projectName, parsed.data.executionId).catch(() => undefined);
    const outcome = execution && outcomeOf(execution.status);
    return execution && outcome ? alertCard(words, di, execution, outcome, schedule) : undefined;
  };

  return {
    [VERBS.runAgain]: withProject((p) => said('what.run', { project: p }), async (name, di, context) => {
      return { text: replyText(context, (await runs.start(context, di, name)).said) };
    }),
    [VERBS.pauseSchedule]: withProject((p) => said('what.pause', { project: p }), async (name, di, context, data) => {
      const schedule = await di.pauseSchedule(name);
      await remember(name, 'paused', context);
      return { text: replyText(context, 'alert.paused', { project: name }), card: await cardAsItStands(wordsOf(context), di, name, data, schedule) };
    }),
    [VERBS.resumeSchedule]: withProject((p) => said('what.resume', { project: p }), async (name, di, context, data) => {
      const schedule = await di.resumeSchedule(name);
      await remember(name, 'resumed', context);
      return {
        text: schedule.nextRunAt ? replyText(context, 'alert.resumedNext', { project: name, next: { moment: schedule.nextRunAt } }) : replyText(context, 'alert.resumed', { project: name }),
        card: await cardAsItStands(wordsOf(context), di, name, data, schedule),
      };
    }),
    [VERBS.showRunErrors]: async (context, data) => {
      const parsed = executionSchema.safeParse(data);
      if (!parsed.success) return { text: replyText(context, 'alert.buttonNoRun') };
      const { projectName, executionId } = parsed.data;
      const nameProblem = projectNameProblem(projectName);
      if (nameProblem) return { text: replyText(context, nameProblem) };
      try {
        const di = await source(context);
        const [execution, schedule] = await Promise.all([di.getExecution(projectName, executionId), di.getSchedule(projectName)]);
        const outcome = outcomeOf(execution.status);
        if (!outcome) return { text: replyText(context, 'alert.runNotFinished', { project: projectName }) };
        return { card: await alertCard(wordsOf(context), di, execution, outcome, schedule, true), text: replyText(context, 'alert.rejectedRecords', { project: projectName }), postCardOnSubmit: true };
      } catch (err) {
        return { text: replyText(context, failureText(err, said('what.readErrors', { project: projectName }))) };
      }
    },
  };
}
