import type { WatchStore } from '../../notifications/watchStore';
import { baseConversationId } from '../../teams/conversationIds';
import type { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import type { DataIntegrationSource } from '../integrationSource';
import { AlertActionOptions, alertActions } from './alertActions';
import { notifyCommand } from './notifyCommand';

/** What run alerts need from the composition root (the watcher itself runs on its own). */
export interface AlertsDeps {
  watches: WatchStore;
  source: DataIntegrationSource;
  actions: AlertActionOptions;
}

/** "notify …", the alert buttons (run again, pause, resume, show errors), and watching again a conversation that took the bot back. */
export function registerAlerts(bot: DataIntegrationBot, deps: AlertsDeps): void {
  bot.onTextCommand('notify', notifyCommand(deps.watches)).onCardActions(alertActions(deps.source, deps.actions));
  bot.onTurn(async (context, next) => {
    const a = context.activity;
    if (a.type === 'message' || (a.type === 'installationUpdate' && /^add/.test(a.action ?? ''))) {
      await deps.watches.reviveConversation(baseConversationId(a.conversation.id));
    }
    await next();
  });
}
