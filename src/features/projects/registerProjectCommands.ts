import { ActivityTypes, type TurnContext } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import { isDataIntegrationError } from '../../integration/port';
import { cardAttachment } from '../../render/cardRenderer';
import { projectListCard } from '../../render/projectCards';
import { projectOverview } from '../../setupRules/projectOverview';
import { DataIntegrationSource } from '../integrationSource';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { echo } from '../../text/sanitize';
import type { RunStarter } from '../runs/runStarter';

/** "status", "run PROJECT" and "save PROJECT as template"; `alsoWatched` adds what else the conversation watches to "status". */
export function registerProjectCommands(
  bot: DataIntegrationBot, source: DataIntegrationSource, runs: Pick<RunStarter, 'start'>, alsoWatched?: (context: TurnContext) => Promise<string | undefined>,
): void {
  bot.onTextCommand('status', async (context) => {
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const card = projectListCard(await projectOverview(await source(context)));
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    } catch (err) {
      await context.sendActivity(failureText(err, 'list the projects'));
    }
    const more = await alsoWatched?.(context);
    if (more) await context.sendActivity(more);
  }, { stateless: true });
  bot.onTextCommand('run', async (context, command) => {
    if (command.name !== 'run') return;
    try {
      const started = await runs.start(context, await source(context), command.project);
      if (started.kind !== 'started') await context.sendActivity(started.text);
    } catch (err) {
      if (isDataIntegrationError(err, 'not_found')) {
        await context.sendActivity(`I could not find a project named "${echo(command.project)}". Type "status" to see the projects.`);
      } else {
        await context.sendActivity(failureText(err, `run "${echo(command.project)}"`));
      }
    }
  });
  bot.onTextCommand('saveTemplate', async (context, command) => {
    if (command.name !== 'saveTemplate') return;
    const project = echo(command.project);
    const templateName = command.template ?? `${command.project} template`;
    try {
      await (await source(context)).saveProjectAsTemplate(command.project, templateName);
      await context.sendActivity(`Saved "${project}" as the template "${echo(templateName)}". It now appears in the template list of new projects.`);
    } catch (err) {
      if (isDataIntegrationError(err, 'validation') || isDataIntegrationError(err, 'conflict')) {
        await context.sendActivity(`I cannot save "${project}" as a template yet: ${err.message} A project must have been run or scheduled at least once first: type "status" to check, then run it or schedule it.`);
      } else {
        await context.sendActivity(failureText(err, `save "${project}" as a template`));
      }
    }
  });
}
