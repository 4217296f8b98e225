import { ActivityTypes, TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult, DialogTurnStatus } from './dialogs';
import { recurrenceWords } from '../../recurrence/recurrence';
import { failureText } from '../../integration/errorCatalogue';
import { said, type Said } from '../../words/words';
import { say, wordsOf } from '../../teams/say';
import { AdaptiveCardJson, cardAttachment } from '../../render/cardRenderer';
import { AnsweredStep, answeredSetupCard, answeredStep, setupCard, stepPlace } from '../../render/setupCards';
import { FlowState, flowStateSchema, newFlow, onCard, submitToFlow, viewOfFlow } from '../../setupRules/submitToFlow';
import type { SetupView } from '../../setupRules/views';
import { actingPerson } from '../../person';
import { notYourSetup } from './notYourSetup';
import { SetupServices } from './setupServices';
import { SIGN_IN_PROMPT, signedIn, signInPrompt } from './signInDialog';
import { recordSetup } from '../../telemetry/recorders';
import { BackgroundWork } from '../backgroundWork';
import { updateCard } from '../../teams/updateCard';

/** Sends a card as a new message; its message id, when the channel gives one. */
async function send(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  const sent = await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
  return sent?.id || undefined;
}

/** Shows `card` in place of message `id`, or as a new message when there is none or it cannot be updated; the id it ends up in. */
async function replace(context: TurnContext, id: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
  if (id && (await updateCard(context, id, card))) return id;
  return send(context, card);
}

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

/** How the setup dialog shows its cards: sent, replaced in place, or frozen once answered. */
const flowCards = { send, replace, freeze };

/** The id of the setup dialog in a person's dialog state. */
export const SETUP_DIALOG = 'SETUP_DIALOG';

const CANCEL_SUMMARY = Symbol('setupCancelSummary');

/** What a setup cancelled in this turn left behind, as its dialog said when it ended; undefined when none ended. */
export function cancelSummary(context: TurnContext): Said | undefined {
  return context.turnState.get(CANCEL_SUMMARY) as Said | undefined;
}

const FINISHED_FLOW = Symbol('setupFinishedFlow');

/** The flow that ended in this turn with "Run now", kept for a click on its (frozen) step-5 card that Teams delivers again; undefined when none did. */
export function finishedFlow(context: TurnContext): FlowState | undefined {
  return context.turnState.get(FINISHED_FLOW) as FlowState | undefined;
}

/** A form's card, its buttons naming whose setup it is (for the answer to anyone else who clicks them). */
const cardOf = (context: TurnContext, state: FlowState, view: SetupView) => setupCard(view, state.draft.owner.name, wordsOf(context));

const clickedFlowId = (value: unknown) => (value as { flowId?: unknown } | null)?.flowId;

const clickedAction = (value: unknown) => String((value as { action?: unknown } | null)?.action ?? '');

/** The card a click came from: Teams names it in replyToId; a client that does not is taken to mean the flow's current card. */
const clickedCard = (context: TurnContext, state: FlowState) => context.activity.replyToId || state.cardId;

/** The flow's stored card with its "moved below" form, for when a newer copy takes its place. */
const previousCard = (state: FlowState): [string | undefined, AnsweredStep] => [state.cardId, answeredStep(state.draft, { why: 'moved' })];

/**
 * "set up account sync", the one dialog of a setup: sign-in (Teams mode: the Data Integrator only
 * accepts the person's own token), then one card per form, from prerequisites to the first run or a
 * schedule request, and the step-5 card of a setup that ended with "Run now" (`afterRun`). The rules
 * live in src/setupRules; this dialog keeps the state and talks to the person. The flow has one live card:
 * a re-shown form updates it in place, and a card that is answered or superseded is frozen.
 */
export class SetupDialog extends ComponentDialog {
  private readonly signIn: boolean;

  /** `afterAnswer`: where work the person need not wait for goes once a click is answered (the root's, so that shutdown waits for it). */
  constructor(private readonly services: SetupServices, oauthConnectionName?: string, private readonly afterAnswer: Pick<BackgroundWork, 'run'> = new BackgroundWork()) {
    super(SETUP_DIALOG);
    this.signIn = Boolean(oauthConnectionName);
    if (oauthConnectionName) this.addDialog(signInPrompt(oauthConnectionName));
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (!this.signIn) return this.startForms(dc);
    const prompt = await this.createChildContext(dc).beginDialog(SIGN_IN_PROMPT);
    return prompt.status === DialogTurnStatus.waiting ? Dialog.EndOfTurn : this.afterSignIn(dc, prompt.result);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const inner = this.createChildContext(dc);
    if (inner.activeDialog) {
      const prompt = await inner.continueDialog();
      return prompt.status === DialogTurnStatus.waiting ? Dialog.EndOfTurn : this.afterSignIn(dc, prompt.result);
    }
    return this.onClick(dc);
  }

  private async afterSignIn(dc: DialogContext, result: unknown): Promise<DialogTurnResult> {
    if (signedIn(result)) return this.startForms(dc);
    await say(dc.context, 'setup.signInDeclined');
    return dc.endDialog();
  }

  /** Step 1's card. */
  private async startForms(dc: DialogContext): Promise<DialogTurnResult> {
    const person = actingPerson(dc.context.activity);
    const state = newFlow({ id: person?.userId ?? '', name: person?.name ?? '', aadObjectId: person?.verified ? person.aadObjectId : undefined });
    dc.activeDialog!.state.flow = state;
    recordSetup('started');
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const cardId = await flowCards.send(dc.context, cardOf(dc.context, state, await viewOfFlow(await this.services.dataIntegration(dc.context), state)));
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
        await flowCards.freeze(dc.context, undefined, [[clicked, cancelled], [state.cardId, cancelled]]);
        await say(dc.context, cancelMessage(state));
        return dc.endDialog();
      }
      case 'show': {
        const card = cardOf(dc.context, state, result.view);
        let cardId: string | undefined;
        if (result.state.draft.step === state.draft.step) {
          // The same step again (its problems shown): update that card instead of adding a copy.
          cardId = await this.showAgain(dc.context, state, clicked, card);
        } else {
          const answered = answeredStep(state.draft, { why: 'answered', after: result.state.draft, action: clickedAction(dc.context.activity.value) });
          await flowCards.freeze(dc.context, undefined, [[clicked, answered], previousCard(state)]);
          cardId = await flowCards.send(dc.context, card);
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
      case 'schedule':
        try {
          if (result.kind === 'run') await this.services.startRun(dc.context, result.projectName);
          else await this.services.requestSchedule(dc.context, result.projectName, result.recurrence);
        } catch (err) {
          const problem = failureText(err, said(result.kind === 'run' ? 'what.startRun' : 'what.askSchedule', { project: result.projectName }));
          const card = cardOf(dc.context, state, await viewOfFlow(di, { ...result.state, problems: { problem } }));
          dc.activeDialog!.state.flow = onCard(state, await this.showAgain(dc.context, state, clicked, card));
          return Dialog.EndOfTurn;
        }
        // Answered means frozen: the run's own card (or the approval card) is where the person acts next. The flow is
        // still kept for Teams re-delivering the click (see finishedFlow), which then starts nothing.
        if (result.kind === 'run') dc.context.turnState.set(FINISHED_FLOW, { ...state, draft: result.state.draft });
        const done = answeredStep(state.draft, result.kind === 'run' ? { why: 'ran' } : { why: 'scheduled', recurrence: result.recurrence });
        await flowCards.freeze(dc.context, undefined, [[clicked, done], [state.cardId, done]]);
        recordSetup('finished', result.kind);
        return dc.endDialog();
    }
  }

  /**
   * A click on the step-5 card of this person's setup that ended with "Run now" (its state kept by the
   * runner; the card itself is frozen, so only a re-delivered or stale click comes here): the same form judges it. Its "Run now" already acted: a second click, a double click or
   * Teams delivering it again, however late, starts nothing and points at the run's own card (which has
   * "Run again"). "Request schedule" asks with the inputs checked as in the flow; anything else says the
   * setup is over.
   */
  async afterRun(context: TurnContext, state: FlowState): Promise<void> {
    const di = await this.services.dataIntegration(context);
    const result = await submitToFlow(di, state, context.activity.value, context.activity.replyToId);
    const clicked = clickedCard(context, state);
    try {
      if (result.kind === 'run') {
        await say(context, 'setup.alreadyRan', { project: result.projectName });
        return;
      }
      if (result.kind === 'schedule') {
        await say(context, 'setup.askingSchedule', { project: result.projectName, recurrence: recurrenceWords(result.recurrence) });
        // The card stays as it is, as after "Run now": an approver may reject, and it can be asked again.
        return await this.services.requestSchedule(context, result.projectName, result.recurrence);
      }
    } catch (err) {
      await say(context, failureText(err, result.kind === 'run' ? said('what.startRun', { project: result.projectName }) : said('what.askSchedule', { project: state.draft.created.projectName ?? '' })));
      return;
    }
    // The form shown again with its errors (a bad "Recur every") replaces the clicked card; anything else is over.
    if (result.kind === 'show' && result.state.draft.step === state.draft.step) await this.showAgain(context, state, clicked, cardOf(context, state, result.view));
    else await say(context, result.kind === 'stale' ? result.message : said('setup.finished', { project: state.draft.created.projectName ?? '' }));
  }

  /** Cancelled from outside (a typed "cancel"): freeze the flow's card, and leave the summary of what was created for the caller to say. */
  protected override async onEndDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    if (reason !== DialogReason.cancelCalled) return;
    const state = flowStateSchema.safeParse(instance.state.flow);
    // Cancelled while signing in: the forms had not started, and the caller says nothing was created.
    if (instance.state.flow === undefined) return;
    recordSetup('abandoned', state.data?.draft.step);
    context.turnState.set(CANCEL_SUMMARY, state.success ? cancelMessage(state.data) : said('answered.cancelled'));
    if (state.success) await flowCards.freeze(context, undefined, [[state.data.cardId, answeredStep(state.data.draft, { why: 'cancelled' })]]);
  }

  /** Shown when the person types while the flow waits for a card: the card comes again, and the copy above is frozen. */
  private async remind(context: TurnContext, state: FlowState, card: AdaptiveCardJson): Promise<FlowState> {
    await say(context, 'setup.waiting', { place: stepPlace(state.draft.step) });
    await flowCards.freeze(context, undefined, [previousCard(state)]);
    return onCard(state, await flowCards.send(context, card));
  }

  /** The current form again, in place of the clicked card where it can be; the flow's other copy, if any, is frozen. */
  private async showAgain(context: TurnContext, state: FlowState, clicked: string | undefined, card: AdaptiveCardJson): Promise<string | undefined> {
    const cardId = await flowCards.replace(context, clicked, card);
    await flowCards.freeze(context, cardId, [previousCard(state)]);
    return cardId;
  }
}

/** What the person is told when a setup stops: what was created and is kept. */
export function cancelMessage(state: FlowState): Said {
  const { connectionSetName, projectName } = state.draft.created;
  if (projectName) return said('setup.closedProjectKept', { project: projectName });
  if (connectionSetName) return said('setup.cancelledSetKept', { set: connectionSetName });
  return said('setup.cancelled');
}
