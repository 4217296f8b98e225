import type { WatchStore } from '../../notifications/watchStore';
import { baseConversationId } from '../../teams/conversationIds';
import type { CommandHandler } from '../../teams/dataIntegrationBot';
import { echo } from '../../text/sanitize';

const LEVELS = {
  all: 'every run',
  failures: 'only runs that failed or finished with errors',
  mute: 'no run alerts (stalled schedules are still reported)',
} as const;

/** "notify all | failures | mute <project>": which run alerts this conversation gets for a project. */
export function notifyCommand(watches: WatchStore): CommandHandler {
  return async (context, command) => {
    if (command.name !== 'notify') return;
    const conversationId = baseConversationId(context.activity.conversation.id);
    const wanted = command.project.trim().toLowerCase();
    const watch = (await watches.inConversation(conversationId)).find((w) => w.projectName.toLowerCase() === wanted);
    if (!watch) {
      const here = (await watches.inConversation(conversationId)).map((w) => `"${w.projectName}"`).join(', ');
      await context.sendActivity(`I am not watching "${echo(command.project)}" here. ${here ? `Projects watched here: ${here}.` : 'Projects set up in this conversation are watched here automatically.'}`);
      return;
    }
    await watches.setNotifyLevel(watch, command.level);
    await context.sendActivity(`From now on this conversation gets ${LEVELS[command.level]} for "${watch.projectName}".`);
  };
}
