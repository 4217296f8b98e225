import { ActivityTypes, type TurnContext } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import type { DataflowWatchStore } from '../../notifications/dataflowWatchStore';
import { dataflowsPickCard, environmentPickCard } from '../../render/dataflowPickCard';
import { watchedDataflowsWords } from '../../render/dataflowReplies';
import { sendCard } from '../../teams/cardMessages';
import { baseConversationId } from '../../teams/conversationIds';
import type { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { say, wordsOf } from '../../teams/say';
import { said, type ReplyText } from '../../words/words';
import { type DataflowActionDeps, dataflowActions, dataflowEnvironments, inChannel } from './dataflowActions';

/** What watching dataflows needs from the composition root (the watcher polls them with the project watches). */
export type DataflowsDeps = DataflowActionDeps;

/** "watch dataflows [part of a name]" (the environment, then its dataflows, those named so) and the dataflow alerts' buttons. */
export function registerDataflows(bot: DataIntegrationBot, deps: DataflowsDeps): void {
  bot.onTextCommand('watchDataflows', async (context, command) => {
    const filter = command.name === 'watchDataflows' ? command.filter : undefined;
    await context.sendActivity({ type: ActivityTypes.Typing });
    try {
      const di = await deps.source(context);
      const environments = await dataflowEnvironments(di);
      const words = wordsOf(context);
      // One environment: straight to its dataflows.
      const card = environments.length === 1
        ? dataflowsPickCard(environments[0]!, await di.listDataflows(environments[0]!), undefined, words, filter)
        : environmentPickCard(environments, inChannel(context), undefined, words, filter);
      await sendCard(context, card);
    } catch (err) {
      await say(context, failureText(err, said('what.listDataflows')));
    }
  }).onCardActions(dataflowActions(deps));
}

/** What `status` adds below the projects: the conversation's watched dataflows, their last refresh and level. */
export function dataflowStatus(store: DataflowWatchStore): (context: TurnContext) => Promise<ReplyText | undefined> {
  return async (context) => {
    const lines = watchedDataflowsWords(await store.inConversation(baseConversationId(context.activity.conversation.id)));
    return lines && wordsOf(context).replyLines(lines);
  };
}
