import { CloudAdapter } from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';
import type { SetupSignIn } from './registerSetup';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { say } from '../../teams/say';
import { actingPerson } from '../../person';

/** "sign in" and "sign out" through the bot's OAuth connection (Teams mode); local mode needs neither. */
export function registerSignIn(bot: DataIntegrationBot, setup: SetupSignIn, adapter: CloudAdapter, connectionName?: string): void {
  bot
    .onTextCommand('signIn', async (context) => {
      if (!connectionName || !(await setup.signIn(context))) await say(context, 'signIn.notNeeded');
    })
    .onTextCommand('signOut', async (context) => {
      const tokens = context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey);
      const person = actingPerson(context.activity);
      if (connectionName && tokens && person) await tokens.signOutUser(person.userId, connectionName, context.activity.channelId);
      await say(context, connectionName ? 'signOut.done' : 'signOut.local');
    });
}
