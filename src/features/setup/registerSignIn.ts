import { CloudAdapter, type TurnContext } from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';
import type { SetupSignIn } from './registerSetup';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { say } from '../../teams/say';
import { actingPerson, sameAadId } from '../../person';

/**
 * The run alert's "Sign in" button names the owner whose sign-in no longer reads the runs, and a setup card's "Sign in
 * again" the setup's owner (`ownerId`, their AAD id; `owner` on a setup card is their display name, for notYourSetup's
 * answer). Anyone else in the channel who clicks it would have their own sign-in dropped (it is asked afresh),
 * pausing the alerts it reads elsewhere, with no SSO in a channel to take its place, and the owner's still refused:
 * theirs is left as it is.
 */
function ownerOtherThanClicker(context: TurnContext): boolean {
  const owner = (context.activity.value as { ownerId?: unknown } | undefined)?.ownerId;
  return typeof owner === 'string' && owner !== '' && !sameAadId(owner, actingPerson(context.activity)?.aadObjectId);
}

/** "sign in" and "sign out" through the bot's OAuth connection (Teams mode); local mode needs neither. */
export function registerSignIn(bot: DataIntegrationBot, setup: SetupSignIn, adapter: CloudAdapter, connectionName?: string): void {
  bot
    .onTextCommand('signIn', async (context) => {
      if (connectionName && ownerOtherThanClicker(context)) {
        await say(context, 'signIn.notYourButton');
        return;
      }
      if (!connectionName || !(await setup.signIn(context))) await say(context, 'signIn.notNeeded');
    })
    .onTextCommand('signOut', async (context) => {
      const tokens = context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey);
      const person = actingPerson(context.activity);
      if (connectionName && tokens && person) await tokens.signOutUser(person.userId, connectionName, context.activity.channelId);
      await say(context, connectionName ? 'signOut.done' : 'signOut.local');
    });
}
