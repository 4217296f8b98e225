import { TurnContext } from 'botbuilder';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { SetupRunner } from './setupRunner';

/** Connects the setup flow to the bot: the commands that start and stop it, and its card verb. */
export function registerSetup(bot: DataIntegrationBot, runner: SetupRunner): void {
  const unknown = bot.commandHandler('unknown');
  bot
    .onTextCommand('setup', (context) => runner.start(context))
    .onTextCommand('cancel', async (context) => {
      await context.sendActivity((await runner.cancel(context)) ?? 'There is no setup in progress to cancel.');
    })
    .onTextCommand('unknown', async (context, command) => {
      if (!(await runner.continue(context))) await unknown(context, command);
    })
    .onSignInCompleted(async (context) => { await runner.continue(context); })
    .onCardVerb(VERBS.setup, async (context: TurnContext) => {
      if (!(await runner.continue(context))) {
        await context.sendActivity('That setup card is not part of a setup of yours that is still open (it may belong to someone else, or have finished). Type "set up account sync" to start your own.');
      }
    });
}
