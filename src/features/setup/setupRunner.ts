import { PrivateConversationState, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { cancelSummary } from './setupFlowDialog';
import { GUIDED_SETUP_DIALOG, GuidedSetupDialog } from './guidedSetupDialog';
import { SIGN_IN_DIALOG, SignInDialog } from './signInDialog';

/**
 * Runs the setup dialog (and the sign-in dialog) on per-person state: in a channel each person has their own flow,
 * and one person's card cannot move another's.
 */
export class SetupRunner {
  private readonly dialogs: DialogSet;

  constructor(state: PrivateConversationState, dialog: GuidedSetupDialog, signIn?: SignInDialog) {
    this.dialogs = new DialogSet(state.createProperty<DialogState>('setupDialogState')).add(dialog);
    if (signIn) this.dialogs.add(signIn);
  }

  /** Starts the sign-in prompt; false when sign-in is not available (local mode) or a dialog is running. */
  async signIn(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogContext(context);
    if (dc.activeDialog || !this.dialogs.find(SIGN_IN_DIALOG)) return false;
    await dc.beginDialog(SIGN_IN_DIALOG);
    return true;
  }

  /** Starts a setup, or shows the one in progress. */
  async start(context: TurnContext): Promise<void> {
    const dc = await this.dialogContext(context);
    if (dc.activeDialog) {
      await context.sendActivity('You already have a setup in progress: here is where you are.');
      await dc.continueDialog();
      return;
    }
    await dc.beginDialog(GUIDED_SETUP_DIALOG);
  }

  /** Passes a card submission or text to the setup in progress; false when there is none. */
  async continue(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogContext(context);
    if (!dc.activeDialog) return false;
    const result = await dc.continueDialog();
    return result.status !== DialogTurnStatus.empty;
  }

  /** Stops the setup in progress and says what it leaves behind; undefined when there is none. */
  async cancel(context: TurnContext): Promise<string | undefined> {
    const dc = await this.dialogContext(context);
    if (!dc.activeDialog) return undefined;
    await dc.cancelAllDialogs();
    return cancelSummary(context) ?? 'Setup cancelled. Nothing was created.';
  }

  /** The person's dialog context; a dialog this version no longer has (an older release's id) is dropped, not crashed on. */
  private async dialogContext(context: TurnContext): Promise<DialogContext> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog && !this.dialogs.find(dc.activeDialog.id)) dc.stack.splice(0);
    return dc;
  }
}
