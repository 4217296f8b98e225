import type { TurnContext } from 'botbuilder';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { baseConversationId } from '../../teams/conversationIds';
import { say } from '../../teams/say';
import { said, type Said } from '../../words/words';
import { PersonSetups, type SetupDialog, type SetupParts } from './setupDialog';
import { SETUP_DIALOG } from './setupState';
import { SIGN_IN_DIALOG, ssoWhere } from './signInDialog';

/** What the "sign in" command needs from the setup: its sign-in, which during a setup keeps the setup; false where none is needed. */
export interface SetupSignIn { signIn(context: TurnContext): Promise<boolean> }

/**
 * Connects the setup to the bot: the typed commands ("setup", "cancel", text while a setup waits), sign-in
 * completion, and the setup card verb, whose clicks go to PersonSetups as they are.
 */
export function registerSetup(bot: DataIntegrationBot, parts: SetupParts): SetupSignIn {
  const setups = new PersonSetups(parts);
  bot
    .onTextCommand('setup', (context) => start(setups, parts.setup, context))
    .onTextCommand('cancel', async (context) => {
      await say(context, (await cancel(setups, context)) ?? said('setup.noneToCancel'));
    })
    .onTextInFlow(async (context) => {
      if (await setups.continue(context)) return true;
      const elsewhere = await openElsewhere(setups, context);
      if (elsewhere) await say(context, elsewhere);
      return false;
    })
    .onSignInCompleted(async (context) => {
      if (await setups.continue(context)) return;
      // No dialog waits for it ("cancel" ended the "sign in" card's): a sign-in finished on that card still counts.
      if (await parts.signIn?.signInNoPromptTook(context)) await say(context, 'signIn.done');
    })
    .onCardVerb(VERBS.setup, setups.onClick);
  return { signIn: (context) => signIn(setups, parts, context) };
}

/**
 * Starts a setup, or shows the one in progress (never handing the typed command to it as an answer). The "sign in"
 * command's card gives way: the setup asks for the same sign-in itself.
 */
async function start(setups: PersonSetups, setup: SetupDialog, context: TurnContext): Promise<void> {
  const dc = await setups.dialogContext(context);
  if (dc.activeDialog?.id === SIGN_IN_DIALOG) await dc.cancelAllDialogs();
  if (dc.activeDialog) {
    await say(context, 'setup.alreadyInProgress');
    await setup.showOpen(dc);
  } else {
    await dc.beginDialog(SETUP_DIALOG);
  }
  await setups.remember(context, dc);
}

/** Stops the setup in progress and says what it leaves behind; undefined when there is none. */
async function cancel(setups: PersonSetups, context: TurnContext): Promise<Said | undefined> {
  const dc = await setups.dialogContext(context);
  if (!dc.activeDialog) return undefined;
  // Only the "sign in" command's card waits: there is no setup to speak of.
  const signingIn = dc.activeDialog.id === SIGN_IN_DIALOG;
  await dc.cancelAllDialogs();
  await setups.remember(context, dc);
  return signingIn ? said('setup.signInCancelled') : setups.cancelSummary(context) ?? said('setup.cancelled', { signIn: 'kept' });
}

/**
 * "sign in": false when sign-in is not available (local mode). During a setup it is the setup's own sign-in again,
 * which keeps the setup where it is (its draft included); else the command's dialog, begun afresh. Either asks for a
 * new sign-in in place of the one stored (signInDialog.ts).
 */
async function signIn(setups: PersonSetups, parts: SetupParts, context: TurnContext): Promise<boolean> {
  if (!parts.signIn) return false;
  const dc = await setups.dialogContext(context);
  if (dc.activeDialog?.id === SETUP_DIALOG) {
    await parts.setup.signInAgain(dc);
  } else {
    // A "sign in" card that waits gives way to the new one. The sign-in is asked afresh, even with a token stored: the
    // service may have refused it (expired or revoked) on the command that said to sign in.
    await say(context, 'signIn.afresh', ssoWhere(context));
    await dc.cancelAllDialogs();
    await dc.beginDialog(SIGN_IN_DIALOG);
  }
  await setups.remember(context, dc);
  return true;
}

/** A line about the person's setup that is open in another thread or chat; undefined when there is none. */
async function openElsewhere(setups: PersonSetups, context: TurnContext): Promise<Said | undefined> {
  const open = await setups.openSetup(context);
  if (!open || open.conversationId === context.activity.conversation.id) return undefined;
  const where = open.inChannel && baseConversationId(open.conversationId) === baseConversationId(context.activity.conversation.id) ? 'thread' : 'chat';
  return said('setup.openElsewhere', { where });
}
