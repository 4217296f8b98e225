import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { describeRecurrence, parseRecurrence } from '../../approvals/recurrence';
import { echo } from '../../text/sanitize';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { SetupRunner } from './setupRunner';
import type { SetupServices } from './setupServices';

/** A click on the step-5 card after its setup ended (e.g. "Request schedule" after "Run now"): it names its project. */
const afterSetupSchema = z.object({
  step: z.literal('runOrSchedule'),
  action: z.enum(['run', 'schedule']),
  projectName: z.string().min(1).max(200),
  every: z.union([z.string(), z.number()]).optional(),
  unit: z.string().max(20).optional(),
});

/** What the step-5 card still does once its setup has ended. */
export type AfterSetup = Pick<SetupServices, 'startRun' | 'requestSchedule'>;

/** Connects the setup flow to the bot: the commands that start and stop it, and its card verb. */
export function registerSetup(bot: DataIntegrationBot, runner: SetupRunner, afterSetup?: AfterSetup): void {
  const unknown = bot.commandHandler('unknown');
  bot
    .onTextCommand('setup', (context) => runner.start(context))
    .onTextCommand('cancel', async (context) => {
      await context.sendActivity((await runner.cancel(context)) ?? 'There is no setup in progress to cancel.');
    })
    .onTextCommand('unknown', async (context, command) => {
      if (await runner.continue(context)) return;
      const elsewhere = await runner.openElsewhere(context);
      if (elsewhere) await context.sendActivity(elsewhere);
      await unknown(context, command);
    })
    .onSignInCompleted(async (context) => { await runner.continue(context); })
    .onCardVerb(VERBS.setup, async (context: TurnContext) => {
      if (await runner.continue(context)) return;
      const late = afterSetupSchema.safeParse(context.activity.value);
      if (late.success && afterSetup) return stepFiveAfterSetup(context, late.data, afterSetup);
      await context.sendActivity('That setup card is not part of a setup of yours that is still open (it may belong to someone else, or have finished). Type "set up account sync" to start your own.');
    });
}

/** Run now or Request schedule on a step-5 card whose setup is over: do it, or say how to type it. */
async function stepFiveAfterSetup(context: TurnContext, click: z.infer<typeof afterSetupSchema>, afterSetup: AfterSetup): Promise<void> {
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
