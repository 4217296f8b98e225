import type { WatchStore } from '../../notifications/watchStore';
import { baseConversationId } from '../../teams/conversationIds';
import type { CommandHandler } from '../../teams/dataIntegrationBot';
import { say } from '../../teams/say';

/** "notify all | failures | mute <project>": which run alerts this conversation gets for a project. */
export function notifyCommand(watches: WatchStore): CommandHandler {
  return async (context, command) => {
    if (command.name !== 'notify') return;
    const conversationId = baseConversationId(context.activity.conversation.id);
    const wanted = command.project.trim().toLowerCase();
    const watch = (await watches.inConversation(conversationId)).find((w) => w.projectName.toLowerCase() === wanted);
    if (!watch) {
      const here = (await watches.inConversation(conversationId)).map((w) => w.projectName);
      if (here.length > 0) await say(context, 'notify.notWatched', { project: command.project, watched: { names: here, join: 'and' } });
      else await say(context, 'notify.notWatchedNone', { project: command.project });
      return;
    }
    await watches.setNotifyLevel(watch, command.level);
    await say(context, 'notify.set', { level: command.level, project: watch.projectName });
  };
}
