import { echo } from '../../render/cardText';
import type { WatchStore } from '../../notifications/watchStore';
import { baseConversationId } from '../../teams/conversationIds';
import type { CommandHandler } from '../../teams/dataIntegrationBot';

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
    const watch = watches.inConversation(conversationId).find((w) => w.projectName.toLowerCase() === wanted);
    if (!watch) {
      const here = watches.inConversation(conversationId).map((w) => `"${w.projectName}"`).join(', ');
      await context.sendActivity(`I am not watching "${echo(command.project)}" here. ${here ? `Projects watched here: ${here}.` : 'Projects set up in this conversation are watched here automatically.'}`);
      return;
    }
    watches.setNotifyLevel(watch, command.level);
    await context.sendActivity(`From now on this conversation gets ${LEVELS[command.level]} for "${watch.projectName}".`);
  };
}
