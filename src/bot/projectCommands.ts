import { ActivityTypes } from 'botbuilder';
import { isDataIntegrationError } from '../integration/port';
import { cardAttachment } from '../render/cardRenderer';
import { projectOverviewCard } from '../setup/projectOverview';
import { DataIntegrationSource } from './dataIntegrationSource';
import { DataIntegrationBot } from './teamsBot';
import { echo } from '../text/sanitize';

/** What to tell a person when a service call for a command fails. */
export function serviceFailureText(err: unknown, what: string): string {
  if (!isDataIntegrationError(err)) throw err;
  if (err.code === 'not_found') return `I could not find that project. Type "status" to see the projects.`;
  if (err.retryable) return `I could not ${what}: the Data Integration service is down or slow right now. Try again in a minute.`;
  return `I could not ${what}: ${err.message}`;
}

/** "status" and "save <project> as template". */
export function registerProjectCommands(bot: DataIntegrationBot, source: DataIntegrationSource): void {
  bot.onTextCommand('status', async (context) => {
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const card = await projectOverviewCard(await source(context));
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    } catch (err) {
      await context.sendActivity(serviceFailureText(err, 'list the projects'));
    }
  });
  bot.onTextCommand('saveTemplate', async (context, command) => {
    if (command.name !== 'saveTemplate') return;
    const templateName = command.template ?? `${command.project} template`;
    try {
      await (await source(context)).saveProjectAsTemplate(command.project, templateName);
      await context.sendActivity(`Saved "${echo(command.project)}" as the template "${echo(templateName)}". It now appears in the template list of new projects.`);
    } catch (err) {
      if (isDataIntegrationError(err, 'validation') || isDataIntegrationError(err, 'conflict')) {
        await context.sendActivity(`I cannot save "${echo(command.project)}" as a template yet: ${err.message} A project must have been run or scheduled at least once first: type "status" to check, then run it or schedule it.`);
      } else {
        await context.sendActivity(serviceFailureText(err, `save "${echo(command.project)}" as a template`));
      }
    }
  });
}
