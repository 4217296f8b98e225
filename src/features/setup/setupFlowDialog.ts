import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';
import { failureText } from '../../integration/errorCatalogue';
import { cardAttachment, AdaptiveCardJson } from '../../render/cardRenderer';
import { FlowState, flowStateSchema, newFlow, submitToFlow, viewOfFlow } from '../../setup/setupFlow';
import { answeredSetupCard, setupCard } from '../../render/setupCards';
import { SETUP_STEPS, SetupStep } from '../../setup/draft';
import { SetupServices } from './setupServices';

/** The id of the dialog that walks through the forms. */
export const SETUP_FLOW_DIALOG = 'SETUP_FLOW_DIALOG';

const CANCEL_SUMMARY = Symbol('setupCancelSummary');

/** What a setup cancelled in this turn left behind, as its dialog said when it ended; undefined when none ended. */
export function cancelSummary(context: TurnContext): string | undefined {
  return context.turnState.get(CANCEL_SUMMARY) as string | undefined;
}

const STEP_TITLES = ['prerequisites', 'connection set', 'project', 'review', 'run or schedule'];

async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
}

/** Replaces the card that was clicked (Teams names it in replyToId); false when there is none to replace. */
async function replaceClickedCard(context: TurnContext, card: AdaptiveCardJson): Promise<boolean> {
  const id = context.activity.replyToId;
  if (!id) return false;
  try {
    await context.updateActivity({ id, type: ActivityTypes.Message, attachments: [cardAttachment(card)] });
    return true;
  } catch {
    return false; // e.g. the message is too old to edit: a new card is the next best thing
  }
}

const ANSWERS: Record<string, string> = { next: 'Answered: the next step is below.', back: 'Went back one step: it is below.', schedule: 'Schedule requested: the approval card is below.' };

/** The frozen form of a step's card: which step, what was done, no buttons. */
function answered(step: SetupStep, action: string): AdaptiveCardJson {
  const n = SETUP_STEPS.indexOf(step);
  return answeredSetupCard(`Step ${n + 1} of 5: ${STEP_TITLES[n]}`, ANSWERS[action] ?? 'Answered.');
}

const clickedAction = (value: unknown) => String((value as { action?: unknown } | null)?.action ?? '');

/**
 * "set up account sync": one card per form, from prerequisites to the first run or a schedule
 * request. The rules live in src/setup; this dialog only keeps the state and talks to the person.
 */
export class SetupFlowDialog extends Dialog {
  constructor(private readonly services: SetupServices) {
    super(SETUP_FLOW_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const from = dc.context.activity.from;
    const state = newFlow({ id: from.id, name: from.name ?? 'you', aadObjectId: from.aadObjectId });
    dc.activeDialog!.state.flow = state;
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    await sendCard(dc.context, setupCard(await viewOfFlow(await this.services.dataIntegration(dc.context), state)));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const parsed = flowStateSchema.safeParse(dc.activeDialog!.state.flow);
    if (!parsed.success) {
      await dc.context.sendActivity('I could not read back where your setup was, so I stopped it. Type "set up account sync" to start again.');
      return dc.endDialog();
    }
    const state = parsed.data;
    const di = await this.services.dataIntegration(dc.context);
    if (dc.context.activity.value === undefined) {
      await this.remind(dc.context, state, setupCard(await viewOfFlow(di, state)));
      return Dialog.EndOfTurn;
    }
    // Clicks may call the services for a second or two: show that the bot is at it.
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const result = await submitToFlow(di, state, dc.context.activity.value);
    const action = clickedAction(dc.context.activity.value);
    switch (result.kind) {
      case 'stale':
        await dc.context.sendActivity(result.message);
        return Dialog.EndOfTurn;
      case 'cancel':
        await dc.context.sendActivity(cancelMessage(state));
        return dc.endDialog();
      case 'show': {
        dc.activeDialog!.state.flow = result.state;
        const card = setupCard(result.view);
        // The same step again (its problems shown): update that card instead of adding a copy. Another step: freeze the old one.
        if (result.state.draft.step === state.draft.step) {
          if (!(await replaceClickedCard(dc.context, card))) await sendCard(dc.context, card);
        } else {
          await replaceClickedCard(dc.context, answered(state.draft.step, action));
          await sendCard(dc.context, card);
        }
        if (result.state.draft.step === 'runOrSchedule' && state.draft.step === 'review') {
          await this.services.projectCreated(dc.context, result.state.draft.created.projectName!);
        }
        return Dialog.EndOfTurn;
      }
      case 'run':
      case 'schedule':
        try {
          if (result.kind === 'run') await this.services.startRun(dc.context, result.projectName);
          else await this.services.requestSchedule(dc.context, result.projectName, result.recurrence);
        } catch (err) {
          const problem = failureText(err, result.kind === 'run' ? `start a run of "${result.projectName}"` : `ask for a schedule of "${result.projectName}"`);
          await sendCard(dc.context, setupCard(await viewOfFlow(di, { ...result.state, problems: { problem } })));
          return Dialog.EndOfTurn;
        }
        // After "Run now" the step-5 card stays as it is: "Request schedule" on it still works (registerSetup).
        if (result.kind === 'schedule') await replaceClickedCard(dc.context, answered(state.draft.step, result.kind));
        return dc.endDialog();
    }
  }

  /** Cancelled from outside (a typed "cancel"): leave the summary of what was created for the caller to say. */
  override async endDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    if (reason !== DialogReason.cancelCalled) return;
    const state = flowStateSchema.safeParse(instance.state.flow);
    context.turnState.set(CANCEL_SUMMARY, state.success ? cancelMessage(state.data) : 'Setup cancelled.');
  }

  /** Shown when the person types while the flow waits for a card; the card comes again. */
  async remind(context: TurnContext, state: FlowState, card: AdaptiveCardJson): Promise<void> {
    const n = SETUP_STEPS.indexOf(state.draft.step);
    await context.sendActivity(`Your setup is waiting at step ${n + 1} of 5 (${STEP_TITLES[n]}). Use the card below, or type "cancel" to stop.`);
    await sendCard(context, card);
  }
}

/** What the person is told when a setup stops: what was created and is kept. */
export function cancelMessage(state: FlowState): string {
  const { connectionSetName, projectName } = state.draft.created;
  if (projectName) return `Setup closed. Project "${projectName}" exists: type "status" to see it, or "schedule ${projectName}" to schedule it.`;
  if (connectionSetName) return `Setup cancelled. Connection set "${connectionSetName}" was already created and is kept for reuse; nothing else was created.`;
  return 'Setup cancelled. Nothing was created.';
}
