import { PrivateConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { DialogContext, DialogSet, DialogState, DialogTurnStatus } from './dialogs';
import { VERBS } from '../../verbs';
import { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import { baseConversationId } from '../../teams/conversationIds';
import { flowStateSchema, type FlowState } from '../../setupRules/submitToFlow';
import { notYourSetup } from './notYourSetup';
import { say } from '../../teams/say';
import { said, type Said } from '../../words/words';
import { cancelSummary, finishedFlow, SETUP_DIALOG, SetupDialog } from './setupDialog';
import { SIGN_IN_DIALOG, SignInDialog } from './signInDialog';

/** Where a person's open setup is, kept per person so that another thread or chat can point to it. */
interface OpenSetup { conversationId: string; inChannel: boolean }

/** How many finished setups a person's step-5 cards stay usable for, per conversation. */
const FINISHED_KEPT = 5;

/** The state a person's setups live in, and the dialogs that run on it. */
export interface SetupParts {
  /** Per person and conversation: in a channel each person has their own setup, and one person's card cannot move another's. */
  state: PrivateConversationState;
  /** Per person: where their open setup is, to point to it from elsewhere. */
  userState?: UserState;
  setup: SetupDialog;
  /** Teams mode: the "sign in" command's dialog, which shares the setup's state so that it waits while a setup runs. */
  signIn?: SignInDialog;
}

/** What the "sign in" command needs from the setup: to start only when no setup is open. */
export interface SetupSignIn { signIn(context: TurnContext): Promise<boolean> }

/**
 * Connects the setup to the bot: "setup" and "cancel", text while a setup waits, sign-in completion, and
 * the setup card verb. A setup card goes to the clicker's open setup, else to their setup that ended
 * with "Run now" (its step-5 card); a card of neither is someone else's, or over.
 */
export function registerSetup(bot: DataIntegrationBot, parts: SetupParts): SetupSignIn {
  const setups = new PersonSetups(parts);
  bot
    .onTextCommand('setup', (context) => setups.start(context))
    .onTextCommand('cancel', async (context) => {
      await say(context, (await setups.cancel(context)) ?? said('setup.noneToCancel'));
    })
    .onTextInFlow(async (context) => {
      if (await setups.continue(context)) return true;
      const elsewhere = await setups.openElsewhere(context);
      if (elsewhere) await say(context, elsewhere);
      return false;
    })
    .onSignInCompleted(async (context) => { await setups.continue(context); })
    .onCardVerb(VERBS.setup, async (context) => {
      if (await setups.continue(context)) return;
      if (await setups.afterRun(context)) return;
      await say(context, notYourSetup(context));
    });
  return setups;
}

/** A person's setups in a conversation: the open one (a dialog), and those that ended with "Run now". */
class PersonSetups implements SetupSignIn {
  private readonly dialogs: DialogSet;
  private readonly setup: SetupDialog;
  private readonly openSetup?: StatePropertyAccessor<OpenSetup | undefined>;
  /** This person's setups here that ended with "Run now", newest last: their step-5 cards still run or schedule the project. */
  private readonly finishedSetups: StatePropertyAccessor<unknown[]>;

  constructor({ state, userState, setup, signIn }: SetupParts) {
    this.setup = setup;
    this.dialogs = new DialogSet(state.createProperty<DialogState>('setupDialogState')).add(setup);
    if (signIn) this.dialogs.add(signIn);
    this.openSetup = userState?.createProperty<OpenSetup | undefined>('openSetup');
    this.finishedSetups = state.createProperty<unknown[]>('finishedSetups');
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
      await say(context, 'setup.alreadyInProgress');
      await dc.continueDialog();
      return;
    }
    await dc.beginDialog(SETUP_DIALOG);
    await this.remember(context, dc);
  }

  /** Passes a card submission or text to the setup in progress; false when there is none. */
  async continue(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogContext(context);
    if (!dc.activeDialog) return false;
    const result = await dc.continueDialog();
    await this.remember(context, dc);
    return result.status !== DialogTurnStatus.empty;
  }

  /** Stops the setup in progress and says what it leaves behind; undefined when there is none. */
  async cancel(context: TurnContext): Promise<Said | undefined> {
    const dc = await this.dialogContext(context);
    if (!dc.activeDialog) return undefined;
    await dc.cancelAllDialogs();
    await this.remember(context, dc);
    return cancelSummary(context) ?? said('setup.cancelled');
  }

  /** Passes a click on a step-5 card to this person's setup that ended with "Run now" here; false when the card names none of theirs. */
  async afterRun(context: TurnContext): Promise<boolean> {
    const flowId = (context.activity.value as { flowId?: unknown } | undefined)?.flowId;
    const finished = (await this.finishedFlows(context)).find((f) => f.draft.flowId === flowId);
    if (!finished) return false;
    await this.setup.afterRun(context, finished);
    return true;
  }

  /** A line about the person's setup that is open in another thread or chat; undefined when there is none. */
  async openElsewhere(context: TurnContext): Promise<Said | undefined> {
    const open = await this.openSetup?.get(context);
    if (!open || open.conversationId === context.activity.conversation.id) return undefined;
    const where = open.inChannel && baseConversationId(open.conversationId) === baseConversationId(context.activity.conversation.id) ? 'thread' : 'chat';
    return said('setup.openElsewhere', { where });
  }

  private async finishedFlows(context: TurnContext): Promise<FlowState[]> {
    const kept = await this.finishedSetups.get(context, []);
    return (Array.isArray(kept) ? kept : []).flatMap((f) => {
      const parsed = flowStateSchema.safeParse(f);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private async remember(context: TurnContext, dc: DialogContext): Promise<void> {
    const done = finishedFlow(context);
    if (done?.draft.created.projectName) {
      const kept = (await this.finishedFlows(context)).filter((f) => f.draft.flowId !== done.draft.flowId);
      await this.finishedSetups.set(context, [...kept, done].slice(-FINISHED_KEPT));
    }
    if (!this.openSetup) return;
    const id = context.activity.conversation.id;
    if (dc.activeDialog?.id === SETUP_DIALOG) {
      await this.openSetup.set(context, { conversationId: id, inChannel: context.activity.conversation.conversationType === 'channel' });
    } else if ((await this.openSetup.get(context))?.conversationId === id) {
      await this.openSetup.delete(context);
    }
  }

  /** The person's dialog context; a dialog this version no longer has (an older release's id) is dropped, not crashed on. */
  private async dialogContext(context: TurnContext): Promise<DialogContext> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog && !this.dialogs.find(dc.activeDialog.id)) dc.stack.splice(0);
    return dc;
  }
}
