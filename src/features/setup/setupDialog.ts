import { ActivityTypes, PrivateConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogInstance, DialogReason, DialogSet, DialogState, DialogTurnResult, DialogTurnStatus } from './dialogs';
import { said, type Said } from '../../words/words';
import { say, wordsOf } from '../../teams/say';
import type { AdaptiveCardJson } from '../../render/cardRenderer';
import { AnsweredStep, answeredSetupCard, answeredStep, cancelMessage, setupCard, stepPlace } from '../../render/setupCards';
import { FlowState, flowStateSchema, formAgain, newFlow, onCard, submitToFlow, viewOfFlow } from '../../setupRules/submitToFlow';
import type { SetupView } from '../../setupRules/views';
import { actingPerson } from '../../person';
import { notYourSetup } from './notYourSetup';
import { DIALOGS, OPEN_SETUP, type OpenSetup, SETUP_DIALOG } from './setupState';
import { SetupServices, stepFiveProblem } from './setupServices';
import { continueSetupSignIn, SetupSignInSteps, setupSignInNoPromptTook, showOpenSetup, SignInDialog, signInAgain, signInDropped, signInFirst, signInPrompt } from './signInDialog';
import { recordSetup } from '../../telemetry/recorders';
import { BackgroundWork } from '../backgroundWork';
import { replaceCard, sendCard, updateCard } from '../../teams/cardMessages';

/**
 * Freezes each listed card but `live`: it then says what was done there and has no buttons. Best-effort:
 * a card that cannot be updated stays as it was (a click on it is answered as stale). Repeats are skipped.
 */
async function freeze(context: TurnContext, live: string | undefined, cards: Array<[id: string | undefined, answer: AnsweredStep]>): Promise<void> {
  const done = new Set([live]);
  for (const [id, answer] of cards) {
    if (!id || done.has(id)) continue;
    done.add(id);
    await updateCard(context, id, answeredSetupCard(answer, wordsOf(context)));
  }
}

/** Where the dialog leaves, for PersonSetups, what a setup cancelled in this turn left behind (Said). */
const CANCEL_SUMMARY = Symbol('setupCancelSummary');
/** Where the dialog leaves the flow that ended in this turn with "Run now" (FlowState), kept for a click on its step-5 card that Teams delivers again. */
const FINISHED_FLOW = Symbol('setupFinishedFlow');

/** A form's card, its buttons naming whose setup it is (for the answer to anyone else who clicks them). */
export const cardOf = (context: TurnContext, state: FlowState, view: SetupView) => setupCard(view, state.draft.owner, wordsOf(context));

const clickedFlowId = (value: unknown) => (value as { flowId?: unknown } | null)?.flowId;

/** Teams' answer to a sign-in card (verifyState, tokenExchange), come when no prompt waits for it: signInDialog.ts takes it. */
const isSignInInvoke = (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && String(context.activity.name ?? '').startsWith('signin/');

const clickedAction = (value: unknown) => String((value as { action?: unknown } | null)?.action ?? '');

/** The card a click came from: Teams names it in replyToId; a client that does not is taken to mean the flow's current card. */
export const clickedCard = (context: TurnContext, state: FlowState) => context.activity.replyToId || state.cardId;

/** The flow's stored card with its "moved below" form, for when a newer copy takes its place. */
const previousCard = (state: FlowState): [string | undefined, AnsweredStep] => [state.cardId, answeredStep(state.draft, { why: 'moved' })];

/** The current form again, in place of the clicked card where it can be; the flow's other copy, if any, is frozen. */
export async function showAgain(context: TurnContext, state: FlowState, clicked: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
  const cardId = await replaceCard(context, clicked, card);
  await freeze(context, cardId, [previousCard(state)]);
  return cardId;
}

/**
 * "set up account sync", the one dialog of a setup: sign-in (Teams mode: the Data Integrator only
 * accepts the person's own token), then one card per form, from prerequisites to the first run or a
 * schedule request (a setup that ended with "Run now" is FinishedSetups' from then on). The rules
 * live in src/setupRules; this dialog keeps the state and talks to the person. The flow has one live card:
 * a re-shown form updates it in place, and a card that is answered or superseded is frozen.
 */
export class SetupDialog extends ComponentDialog {
  /** `afterAnswer`: where work the person need not wait for goes once a click is answered (the root's, so that shutdown waits for it). */
  constructor(private readonly services: SetupServices, oauthConnectionName?: string, private readonly afterAnswer: Pick<BackgroundWork, 'run'> = new BackgroundWork()) {
    super(SETUP_DIALOG);
    if (oauthConnectionName) this.addDialog(signInPrompt(oauthConnectionName));
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return signInFirst(dc, this.createChildContext(dc), () => this.startForms(dc));
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    // A sign-in prompt may wait in the setup's inner dialogs (Teams mode): before step 1, or the person's sign-in again.
    const inner = this.createChildContext(dc);
    if (!inner.activeDialog) return isSignInInvoke(dc.context) ? setupSignInNoPromptTook(dc, inner, this.steps(dc)) : this.onClick(dc);
    return continueSetupSignIn(dc, inner, this.steps(dc));
  }

  /** "sign in" typed while this setup is open: its sign-in again (signInDialog.ts), which keeps the setup where it is. */
  signInAgain(dc: DialogContext): Promise<DialogTurnResult> {
    return signInAgain(dc, this.createChildContext(dc), this.steps(dc));
  }

  /** Where the setup's sign-in (signInDialog.ts) goes on to, in this dialog. */
  private steps(dc: DialogContext): SetupSignInSteps {
    return { begin: () => this.beginDialog(dc), startForms: () => this.startForms(dc), onClick: () => this.onClick(dc), formAgain: (flow) => this.showFormAgain(dc, flow) };
  }

  /** "set up account sync" typed while this setup is open: where it is, shown again (signInDialog.ts: a sign-in may wait). */
  showOpen(dc: DialogContext): Promise<DialogTurnResult> {
    return showOpenSetup(dc, this.createChildContext(dc), this.steps(dc));
  }

  /** Signed in again: the current form, with what was typed on it when the service refused the sign-in, as a new card below. */
  private async showFormAgain(dc: DialogContext, state: FlowState): Promise<DialogTurnResult> {
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const again = await formAgain(await this.services.dataIntegration(dc.context), state);
    await freeze(dc.context, undefined, [previousCard(state)]);
    dc.activeDialog!.state.flow = onCard({ ...again.state, cards: state.cards }, await sendCard(dc.context, cardOf(dc.context, again.state, again.view)));
    return Dialog.EndOfTurn;
  }

  /** Step 1's card. */
  private async startForms(dc: DialogContext): Promise<DialogTurnResult> {
    const person = actingPerson(dc.context.activity);
    const state = newFlow({ id: person?.userId ?? '', name: person?.name ?? '', aadObjectId: person?.verified ? person.aadObjectId : undefined });
    dc.activeDialog!.state.flow = state;
    recordSetup('started');
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const cardId = await sendCard(dc.context, cardOf(dc.context, state, await viewOfFlow(await this.services.dataIntegration(dc.context), state)));
    dc.activeDialog!.state.flow = onCard(state, cardId);
    return Dialog.EndOfTurn;
  }

  /** A click (or text) while the forms wait: the form it answers judges it, and the person sees what follows. */
  private async onClick(dc: DialogContext): Promise<DialogTurnResult> {
    const parsed = flowStateSchema.safeParse(dc.activeDialog!.state.flow);
    if (!parsed.success) {
      await say(dc.context, 'setup.stateLost');
      return dc.endDialog();
    }
    const state = parsed.data;
    const di = await this.services.dataIntegration(dc.context);
    if (dc.context.activity.value === undefined) {
      dc.activeDialog!.state.flow = await this.remind(dc.context, state, cardOf(dc.context, state, await viewOfFlow(di, state)));
      return Dialog.EndOfTurn;
    }
    // Clicks may call the services for a second or two: show that the bot is at it.
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const result = await submitToFlow(di, state, dc.context.activity.value, dc.context.activity.replyToId);
    const clicked = clickedCard(dc.context, state);
    switch (result.kind) {
      case 'stale':
        // The clicked card is left alone: it may not even be this person's.
        await say(dc.context, clickedFlowId(dc.context.activity.value) === state.draft.flowId ? result.message : notYourSetup(dc.context, result.message));
        return Dialog.EndOfTurn;
      case 'cancel': {
        const cancelled = answeredStep(state.draft, { why: 'cancelled' });
        recordSetup('abandoned', state.draft.step);
        await freeze(dc.context, undefined, [[clicked, cancelled], [state.cardId, cancelled]]);
        await say(dc.context, cancelMessage(state.draft, await signInDropped(dc.context, this, dc.activeDialog!)));
        return dc.endDialog();
      }
      case 'show': {
        const card = cardOf(dc.context, state, result.view);
        let cardId: string | undefined;
        if (result.state.draft.step === state.draft.step) {
          // The same step again (its problems shown): update that card instead of adding a copy.
          cardId = await showAgain(dc.context, state, clicked, card);
        } else {
          const answered = answeredStep(state.draft, { why: 'answered', after: result.state.draft, action: clickedAction(dc.context.activity.value) });
          await freeze(dc.context, undefined, [[clicked, answered], previousCard(state)]);
          cardId = await sendCard(dc.context, card);
        }
        dc.activeDialog!.state.flow = onCard({ ...result.state, cards: state.cards }, cardId);
        if (result.state.draft.step === 'runOrSchedule' && state.draft.step === 'review') {
          // Created: watched once the click is answered. A store that fails there is logged, and fails neither the
          // answer nor the flow's saved state (the project exists; "Run now" and an approval watch it again).
          const { activity } = dc.context;
          const projectName = result.state.draft.created.projectName!;
          this.afterAnswer.run('watch a created project', () => this.services.watches.fromTurn({ activity }, projectName));
        }
        return Dialog.EndOfTurn;
      }
      case 'run':
      case 'schedule': {
        // Only a run started or a schedule asked answers step 5; a refusal (the tenant's run limit, a run still
        // going, no approver) or a failure shows step 5 again with the problem, and a click can try again.
        const problem = await stepFiveProblem(this.services, dc.context, result);
        if (problem) {
          // The schedule asked for stays in the inputs, so that a second try is one click.
          const inputs = result.kind === 'schedule' ? { every: String(result.recurrence.every), unit: result.recurrence.unit } : undefined;
          const card = cardOf(dc.context, state, await viewOfFlow(di, { ...result.state, problems: { problem, inputs } }));
          dc.activeDialog!.state.flow = onCard(state, await showAgain(dc.context, state, clicked, card));
          return Dialog.EndOfTurn;
        }
        // Answered means frozen: the run's own card (or the approval card) is where the person acts next. The flow is
        // still kept for Teams re-delivering the click (see finishedFlow), which then starts nothing.
        if (result.kind === 'run') dc.context.turnState.set(FINISHED_FLOW, { ...state, draft: result.state.draft });
        const done = answeredStep(state.draft, result.kind === 'run' ? { why: 'ran' } : { why: 'scheduled', recurrence: result.recurrence });
        await freeze(dc.context, undefined, [[clicked, done], [state.cardId, done]]);
        recordSetup('finished', result.kind);
        return dc.endDialog();
      }
    }
  }

  /** Cancelled from outside (a typed "cancel"): freeze the flow's card, and leave the summary of what was created for the caller to say. */
  protected override async onEndDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    if (reason !== DialogReason.cancelCalled) return;
    const state = flowStateSchema.safeParse(instance.state.flow);
    // Cancelled while signing in: the forms had not started, and the caller says nothing was created.
    if (instance.state.flow === undefined) return;
    recordSetup('abandoned', state.data?.draft.step);
    context.turnState.set(CANCEL_SUMMARY, state.success ? cancelMessage(state.data.draft, await signInDropped(context, this, instance)) : said('answered.cancelled'));
    if (state.success) await freeze(context, undefined, [[state.data.cardId, answeredStep(state.data.draft, { why: 'cancelled' })]]);
  }

  /** Shown when the person types while the flow waits for a card: the card comes again, and the copy above is frozen. */
  private async remind(context: TurnContext, state: FlowState, card: AdaptiveCardJson): Promise<FlowState> {
    await say(context, 'setup.waiting', { place: stepPlace(state.draft.step) });
    await freeze(context, undefined, [previousCard(state)]);
    return onCard(state, await sendCard(context, card));
  }
}

/** A person's setups that ended with "Run now" (FinishedSetups): kept when one ends, asked about a click no open setup takes. */
export interface SetupsThatRan {
  keep(context: TurnContext, flow: FlowState): Promise<void>;
  /** False when the clicked card is none of theirs. */
  onClick(context: TurnContext): Promise<boolean>;
}

/** The state a person's setups live in, and the dialogs that run on it. */
export interface SetupParts {
  /** Per person and conversation: in a channel each person has their own setup, and one person's card cannot move another's. */
  state: PrivateConversationState;
  /** Per person: where their open setup is, to point to it from elsewhere. */
  userState?: UserState;
  setup: SetupDialog;
  /** Teams mode: the "sign in" command's dialog, which shares the setup's state so that it waits while a setup runs. */
  signIn?: SignInDialog;
  finished: SetupsThatRan;
}

/**
 * A person's setups in a conversation: the open one (the dialog above), and those that ended with "Run now".
 * A turn that moves the dialogs takes `dialogContext`, moves them, then `remember`s what changed.
 */
export class PersonSetups {
  private readonly dialogs: DialogSet;
  private readonly finished: SetupsThatRan;
  private readonly openSetupAt?: StatePropertyAccessor<OpenSetup | undefined>;

  constructor({ state, userState, setup, signIn, finished }: SetupParts) {
    this.dialogs = new DialogSet(state.createProperty<DialogState>(DIALOGS)).add(setup);
    if (signIn) this.dialogs.add(signIn);
    this.finished = finished;
    this.openSetupAt = userState?.createProperty<OpenSetup | undefined>(OPEN_SETUP);
  }

  /**
   * A click on a setup card (the router hands it here as it is): it goes to the clicker's open setup, else to
   * their setup that ended with "Run now" (its step-5 card); a card of neither is someone else's, or over.
   */
  readonly onClick = async (context: TurnContext): Promise<void> => {
    if (await this.continue(context)) return;
    if (await this.finished.onClick(context)) return;
    await say(context, notYourSetup(context));
  };

  /** Passes a card submission or text to the setup in progress; false when there is none. */
  async continue(context: TurnContext): Promise<boolean> {
    const dc = await this.dialogContext(context);
    if (!dc.activeDialog) return false;
    const result = await dc.continueDialog();
    await this.remember(context, dc);
    return result.status !== DialogTurnStatus.empty;
  }

  /** Where the person's open setup is (any conversation); undefined when none is, or it is not kept (no user state). */
  async openSetup(context: TurnContext): Promise<OpenSetup | undefined> {
    return this.openSetupAt?.get(context);
  }

  /** What a setup cancelled in this turn left behind, as its dialog said when it ended; undefined when none ended. */
  cancelSummary(context: TurnContext): Said | undefined {
    return context.turnState.get(CANCEL_SUMMARY) as Said | undefined;
  }

  /** The person's dialog context; a dialog this version no longer has (an older release's id) is dropped, not crashed on. */
  async dialogContext(context: TurnContext): Promise<DialogContext> {
    // Both of the person's values are read before anything is done: one that no longer reads back then stops the
    // turn before it sent a card its state would not keep.
    await this.openSetupAt?.get(context);
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog && !this.dialogs.find(dc.activeDialog.id)) dc.stack.splice(0);
    return dc;
  }

  /** After the dialogs moved: a setup that ended with "Run now" is kept, and where the open setup is, updated. */
  async remember(context: TurnContext, dc: DialogContext): Promise<void> {
    const done = context.turnState.get(FINISHED_FLOW) as FlowState | undefined;
    if (done?.draft.created.projectName) await this.finished.keep(context, done);
    if (!this.openSetupAt) return;
    const id = context.activity.conversation.id;
    if (dc.activeDialog?.id === SETUP_DIALOG) {
      await this.openSetupAt.set(context, { conversationId: id, inChannel: context.activity.conversation.conversationType === 'channel' });
    } else if ((await this.openSetupAt.get(context))?.conversationId === id) {
      await this.openSetupAt.delete(context);
    }
  }
}
