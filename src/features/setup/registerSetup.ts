import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { describeRecurrence, parseRecurrence } from '../../approvals/recurrence';
import { echo } from '../../text/sanitize';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { notYourSetup } from './notYourSetup';
import { SetupRunner } from './setupRunner';
import type { SetupServices } from './setupServices';

/** A click on the step-5 card after its setup ended with "Run now": it names its flow; the project is the flow's own. */
const afterSetupSchema = z.object({
  flowId: z.string().min(1).max(100),
  step: z.literal('runOrSchedule'),
  action: z.enum(['run', 'schedule']),
  every: z.union([z.string(), z.number()]).optional(),
  unit: z.string().max(20).optional(),
});

/** What the step-5 card still does once its setup has ended. */
export type AfterSetup = Pick<SetupServices, 'startRun' | 'requestSchedule'>;

/** Connects the setup flow to the bot: the commands that start and stop it, text while it waits, and its card verb. */
export function registerSetup(bot: DataIntegrationBot, runner: SetupRunner, afterSetup?: AfterSetup): void {
  bot
    .onTextCommand('setup', (context) => runner.start(context))
    .onTextCommand('cancel', async (context) => {
      await context.sendActivity((await runner.cancel(context)) ?? 'There is no setup in progress to cancel.');
    })
    .onTextInFlow(async (context) => {
      if (await runner.continue(context)) return true;
      const elsewhere = await runner.openElsewhere(context);
      if (elsewhere) await context.sendActivity(elsewhere);
      return false;
    })
    .onSignInCompleted(async (context) => { await runner.continue(context); })
    .onCardVerb(VERBS.setup, async (context: TurnContext) => {
      if (await runner.continue(context)) return;
      const late = afterSetupSchema.safeParse(context.activity.value);
      const finished = late.success ? await runner.finished(context, late.data.flowId) : undefined;
      if (late.success && finished && afterSetup) return stepFiveAfterSetup(context, { ...late.data, projectName: finished }, afterSetup);
      await context.sendActivity(notYourSetup(context));
    });
}

/** Run now or Request schedule on a step-5 card of the clicker's own setup that ended with "Run now": do it, or say how to type it. */
async function stepFiveAfterSetup(context: TurnContext, click: z.infer<typeof afterSetupSchema> & { projectName: string }, afterSetup: AfterSetup): Promise<void> {
  const { projectName } = click;
  if (click.action === 'run') return afterSetup.startRun(context, projectName);
  const recurrence = parseRecurrence(`every ${click.every ?? ''} ${click.unit ?? 'minutes'}`);
  if (recurrence?.kind !== 'recurring' || recurrence.every > 1000) {
    await context.sendActivity(`Enter a whole number from 1 to 1000 in "Recur every", or type "schedule ${echo(projectName)} every 5 minutes".`);
    return;
  }
  await context.sendActivity(`Asking for a schedule of "${echo(projectName)}" ${describeRecurrence(recurrence)}.`);
  await afterSetup.requestSchedule(context, projectName, recurrence);
}
