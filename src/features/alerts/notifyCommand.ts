import type { WatchStore } from '../../notifications/watchStore';
import { baseConversationId } from '../../teams/conversationIds';
import type { CommandHandler } from '../../teams/dataIntegrationBot';
import { say } from '../../teams/say';
import { insideQuotes, nameAsMeant } from '../../words/sanitize';

/** "notify all | failures | mute <project>": which run alerts this conversation gets for a project. */
export function notifyCommand(watches: WatchStore): CommandHandler {
  return async (context, command) => {
    if (command.name !== 'notify') return;
    const conversationId = baseConversationId(context.activity.conversation.id);
    const here = await watches.inConversation(conversationId);
    // Any case, and in quotes as "run" takes a name: the name as typed first, then the one inside its quotes.
    const named = (typed: string) => here.find((w) => w.projectName.toLowerCase() === typed.trim().toLowerCase());
    const inQuotes = insideQuotes(command.project);
    const watch = named(command.project) ?? (inQuotes === undefined ? undefined : named(inQuotes));
    if (!watch) {
      const project = nameAsMeant(command.project);
      if (here.length > 0) await say(context, 'notify.notWatched', { project, watched: { names: here.map((w) => w.projectName), join: 'and' } });
      else await say(context, 'notify.notWatchedNone', { project });
      return;
    }
    await watches.setNotifyLevel(watch, command.level);
    await say(context, 'notify.set', { level: command.level, project: watch.projectName });
  };
}
