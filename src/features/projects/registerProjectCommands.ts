import { ActivityTypes, type TurnContext } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import { isDataIntegrationError, projectNamed } from '../../integration/port';
import { sendCard } from '../../teams/cardMessages';
import { projectListCard } from '../../render/projectCards';
import { projectOverview, type ProjectNotes } from '../../projects/projectOverview';
import { DataIntegrationSource } from '../integrationSource';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { said, type ReplyText } from '../../words/words';
import { nameAsMeant } from '../../words/sanitize';
import { say, wordsOf } from '../../teams/say';
import type { RunStarter } from '../runs/runStarter';

/**
 * "status", "run PROJECT" and "save PROJECT as template"; `notes` adds to "status" what waits on each project (a schedule
 * request, who paused it), `alsoWatched` what else the conversation watches.
 */
export function registerProjectCommands(
  bot: DataIntegrationBot, source: DataIntegrationSource, runs: Pick<RunStarter, 'start'>, alsoWatched?: (context: TurnContext) => Promise<ReplyText | undefined>, notes?: ProjectNotes,
): void {
  bot.onTextCommand('status', async (context, command) => {
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const filter = command.name === 'status' ? command.filter : undefined;
      const card = projectListCard(await projectOverview(await source(context), notes, filter), wordsOf(context), filter);
      await sendCard(context, card);
    } catch (err) {
      await say(context, failureText(err, said('what.listProjects')));
    }
    const more = await alsoWatched?.(context);
    if (more) await context.sendActivity(more);
  }, { stateless: true });
  bot.onTextCommand('run', async (context, command) => {
    if (command.name !== 'run') return;
    try {
      const di = await source(context);
      // Typed in another case, a name would be watched beside the project's own and each run told twice; a name the
      // service does not know would be watched too, and said unreadable in the thread from then on.
      const project = projectNamed(await di.listProjects(), command.project);
      if (!project) {
        await say(context, 'project.notFound', { project: nameAsMeant(command.project) });
        return;
      }
      const started = await runs.start(context, di, project.name);
      if (started.kind !== 'started') await say(context, started.said);
    } catch (err) {
      if (isDataIntegrationError(err, 'not_found')) {
        await say(context, 'project.notFound', { project: nameAsMeant(command.project) });
      } else {
        await say(context, failureText(err, said('what.run', { project: command.project })));
      }
    }
  });
  bot.onTextCommand('saveTemplate', async (context, command) => {
    if (command.name !== 'saveTemplate') return;
    const project = command.project;
    const templateName = command.template ?? `${command.project} template`;
    try {
      await (await source(context)).saveProjectAsTemplate(command.project, templateName);
      await say(context, 'template.saved', { project, template: templateName });
    } catch (err) {
      if (isDataIntegrationError(err, 'validation') || isDataIntegrationError(err, 'conflict')) {
        await say(context, 'template.notYet', { project, reason: { long: err.message } });
      } else {
        await say(context, failureText(err, said('what.saveTemplate', { project })));
      }
    }
  });
}
