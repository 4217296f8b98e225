import type { WatchStore } from '../../notifications/watchStore';
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

/** "notify …" and the alert buttons (run again, pause, resume, show errors). Watching a conversation again is a middleware (teams/reviveWatches.ts). */
export function registerAlerts(bot: DataIntegrationBot, deps: AlertsDeps): void {
  bot.onTextCommand('notify', notifyCommand(deps.watches)).onCardActions(alertActions(deps.source, deps.actions));
}
