import { ActivityTypes, type TurnContext } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import type { DataflowWatchStore } from '../../notifications/dataflowWatchStore';
import { cardAttachment } from '../../render/cardRenderer';
import { dataflowsPickCard, environmentPickCard } from '../../render/dataflowPickCard';
import { watchedDataflowsText } from '../../render/dataflowReplies';
import { baseConversationId } from '../../teams/conversationIds';
import type { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import type { DataIntegrationSource } from '../integrationSource';
import { dataflowActions, dataflowEnvironments, inChannel } from './dataflowActions';

/** What watching dataflows needs from the composition root (the watcher polls them with the project watches). */
export interface DataflowsDeps {
  store: DataflowWatchStore;
  source: DataIntegrationSource;
}

/** "watch dataflows" (the environment, then its dataflows), the dataflow alerts' buttons, and watching again a conversation that took the bot back. */
export function registerDataflows(bot: DataIntegrationBot, deps: DataflowsDeps): void {
  bot.onTextCommand('watchDataflows', async (context) => {
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const di = await deps.source(context);
      const environments = await dataflowEnvironments(di);
      // One environment: straight to its dataflows.
      const card = environments.length === 1
        ? dataflowsPickCard(environments[0]!, await di.listDataflows(environments[0]!))
        : environmentPickCard(environments, inChannel(context));
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    } catch (err) {
      await context.sendActivity(failureText(err, 'list the dataflows'));
    }
  }).onCardActions(dataflowActions(deps.source, deps.store));
  bot.onTurn(async (context, next) => {
    const a = context.activity;
    if (a.type === 'message' || (a.type === 'installationUpdate' && /^add/.test(a.action ?? ''))) {
      await deps.store.reviveConversation(baseConversationId(a.conversation.id));
    }
    await next();
  });
}

/** What `status` adds below the projects: the conversation's watched dataflows, their last refresh and level. */
export function dataflowStatus(store: DataflowWatchStore): (context: TurnContext) => Promise<string | undefined> {
  return async (context) => watchedDataflowsText(await store.inConversation(baseConversationId(context.activity.conversation.id)));
}
