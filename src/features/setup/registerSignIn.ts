import { CloudAdapter } from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';
import type { SetupSignIn } from './registerSetup';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';

/** "sign in" and "sign out" through the bot's OAuth connection (Teams mode); local mode needs neither. */
export function registerSignIn(bot: DataIntegrationBot, setup: SetupSignIn, adapter: CloudAdapter, connectionName?: string): void {
  bot
    .onTextCommand('signIn', async (context) => {
      if (!connectionName) {
        await context.sendActivity('No sign-in is needed here: in local mode the embedded sandbox accepts the bot as you.');
      } else if (!(await setup.signIn(context))) {
        await context.sendActivity('Finish or cancel the setup in progress first; it already uses your sign-in.');
      }
    })
    .onTextCommand('signOut', async (context) => {
      const tokens = context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey);
      if (connectionName && tokens) {
        const a = context.activity;
        await tokens.signOutUser(a.from.id, connectionName, a.channelId);
      }
      await context.sendActivity(connectionName
        ? 'You are signed out. Projects you set up keep being watched only while a token of yours or the app is available.'
        : 'Nothing to sign out of in local mode.');
    });
}
