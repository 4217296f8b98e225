import { TurnContext } from 'botbuilder';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { notYourSetup } from './notYourSetup';
import { SetupRunner } from './setupRunner';

/**
 * Connects the setup flow to the bot: the commands that start and stop it, text while it waits, and its
 * card verb. A setup card goes to the clicker's open setup, else to their setup that ended with "Run now"
 * (its step-5 card); a card of neither is someone else's, or over.
 */
export function registerSetup(bot: DataIntegrationBot, runner: SetupRunner): void {
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
      if (await runner.afterRun(context)) return;
      await context.sendActivity(notYourSetup(context));
    });
}
