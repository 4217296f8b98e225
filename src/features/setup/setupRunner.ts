import { PrivateConversationState, TurnContext } from 'botbuilder';
import { DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { cancelMessage } from './setupFlowDialog';
import { GuidedSetupDialog, SETUP_DIALOG } from './guidedSetupDialog';
import { SIGN_IN_DIALOG, SignInDialog } from './signInDialog';
import { flowStateSchema } from '../../setup/setupFlow';

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
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog || !this.dialogs.find(SIGN_IN_DIALOG)) return false;
    await dc.beginDialog(SIGN_IN_DIALOG);
    return true;
  }

  /** Starts a setup, or shows the one in progress. */
  async start(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) {
      await context.sendActivity('You already have a setup in progress: here is where you are.');
      await dc.continueDialog();
      return;
    }
    await dc.beginDialog(SETUP_DIALOG);
  }

  /** Passes a card submission or text to the setup in progress; false when there is none. */
  async continue(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogs.createContext(context);
    if (!dc.activeDialog) return false;
    const result = await dc.continueDialog();
    return result.status !== DialogTurnStatus.empty;
  }

  /** Stops the setup in progress and says what it leaves behind; undefined when there is none. */
  async cancel(context: TurnContext): Promise<string | undefined> {
    const dc = await this.dialogs.createContext(context);
    if (!dc.activeDialog) return undefined;
    const flow = findFlow(dc.stack);
    const state = flowStateSchema.safeParse(flow);
    await dc.cancelAllDialogs();
    return state.success ? cancelMessage(state.data) : 'Setup cancelled.';
  }
}

/** The flow's state sits in the innermost dialog's instance state, under the component's own stack. */
function findFlow(stack: Array<{ state?: Record<string, unknown> }>): unknown {
  for (const instance of stack) {
    if (instance.state?.flow !== undefined) return instance.state.flow;
    const inner = (instance.state?.dialogs as { dialogStack?: typeof stack } | undefined)?.dialogStack;
    const found = inner && findFlow(inner);
    if (found) return found;
  }
  return undefined;
}
