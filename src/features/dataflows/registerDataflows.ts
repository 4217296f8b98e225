import { ActivityTypes, type TurnContext } from 'botbuilder';
import { failureText } from '../../integration/errorCatalogue';
import type { DataflowWatchStore } from '../../notifications/dataflowWatchStore';
import { dataflowsPickCard, environmentPickCard } from '../../render/dataflowPickCard';
import { watchedDataflowsWords } from '../../render/dataflowReplies';
import type { AdaptiveCardJson } from '../../render/cardRenderer';
import { sendCard } from '../../teams/cardMessages';
import { turnLogger } from '../../teams/turnLogger';
import { baseConversationId } from '../../teams/conversationIds';
import type { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { say, wordsOf } from '../../teams/say';
import { said, type ReplyText } from '../../words/words';
import { type DataflowActionDeps, dataflowActions, dataflowEnvironments, environmentsNamed, inChannel } from './dataflowActions';

/** What watching dataflows needs from the composition root (the watcher polls them with the project watches). */
export type DataflowsDeps = DataflowActionDeps;

/**
 * "watch dataflows [part of a name]" (the environment, then its dataflows, those named so), "watch dataflows in
 * [part of an environment's name]" (straight to the one environment named so, else those named so) and the dataflow
 * alerts' buttons.
 */
export function registerDataflows(bot: DataIntegrationBot, deps: DataflowsDeps): void {
  bot.onTextCommand('watchDataflows', async (context, command) => {
    const { filter, environment: part } = command.name === 'watchDataflows' ? command : { filter: undefined, environment: undefined };
    await context.sendActivity({ type: ActivityTypes.Typing });
    let card: AdaptiveCardJson;
    try {
      const di = await deps.source(context);
      const listed = await dataflowEnvironments(di);
      const environments = part ? environmentsNamed(listed, part) : listed;
      if (part && !environments.length) return await say(context, said('dataflow.pick.noEnvironmentMatch', { part }));
      const words = wordsOf(context);
      // One environment: straight to its dataflows.
      card = environments.length === 1
        ? dataflowsPickCard(environments[0]!, await di.listDataflows(environments[0]!), undefined, words, filter)
        : environmentPickCard(environments, inChannel(context), undefined, words, filter, part);
    } catch (err) {
      return await say(context, failureText(err, said('what.listDataflows')));
    }
    try {
      await sendCard(context, card);
    } catch (err) {
      // Teams refused the card (too large, throttled, …): said plainly, not "something went wrong". Only the status
      // and code are logged: a connector error carries the request, and with it the bot's token.
      const e = err as { statusCode?: number; code?: string } | null;
      turnLogger(context)?.warn({ status: e?.statusCode, code: e?.code }, 'could not send the watch dataflows card');
      await say(context, said('dataflow.pick.cardNotSent'));
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
