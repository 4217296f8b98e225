import { ActivityTypes } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import { isDataIntegrationError } from '../../integration/port';
import { cardAttachment } from '../../render/cardRenderer';
import { projectListCard } from '../../render/projectCards';
import { projectOverview } from '../../setup/projectOverview';
import { DataIntegrationSource } from '../../teams/dataIntegrationSource';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { echo } from '../../text/sanitize';

/** "status" and "save <project> as template". */
export function registerProjectCommands(bot: DataIntegrationBot, source: DataIntegrationSource): void {
  bot.onTextCommand('status', async (context) => {
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const card = projectListCard(await projectOverview(await source(context)));
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    } catch (err) {
      await context.sendActivity(failureText(err, 'list the projects'));
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
        await context.sendActivity(failureText(err, `save "${echo(command.project)}" as a template`));
      }
    }
  });
}
