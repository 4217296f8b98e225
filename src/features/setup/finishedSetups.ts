import type { PrivateConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { recurrenceWords } from '../../recurrence/recurrence';
import { failureText } from '../../integration/errorCatalogue';
import { said, type Said } from '../../words/words';
import { say } from '../../teams/say';
import { type FlowResult, FlowState, flowStateSchema, submitToFlow } from '../../setupRules/submitToFlow';
import type { SetupServices } from './setupServices';
import { cardOf, clickedCard, showAgain, type SetupsThatRan } from './setupDialog';

/** How many finished setups a person's step-5 cards stay usable for, per conversation. */
const FINISHED_KEPT = 5;

/**
 * A person's setups in a conversation that ended with "Run now", newest last. Their step-5 cards are frozen,
 * so only a re-delivered or stale click comes here, and the same form judges it. Its "Run now" already acted:
 * a second click, a double click or Teams delivering it again, however late, starts nothing and points at the
 * run's own card (which has "Run again"). "Request schedule" asks with the inputs checked as in the flow;
 * anything else says the setup is over.
 */
export class FinishedSetups implements SetupsThatRan {
  private readonly flows: StatePropertyAccessor<unknown[]>;

  constructor(state: PrivateConversationState, private readonly services: Pick<SetupServices, 'dataIntegration' | 'requestSchedule'>) {
    this.flows = state.createProperty<unknown[]>('finishedSetups');
  }

  /** Keeps a flow that ended with "Run now" here (the oldest beyond FINISHED_KEPT is forgotten). */
  async keep(context: TurnContext, flow: FlowState): Promise<void> {
    const kept = (await this.kept(context)).filter((f) => f.draft.flowId !== flow.draft.flowId);
    await this.flows.set(context, [...kept, flow].slice(-FINISHED_KEPT));
  }

  /** A click on the step-5 card of one of them; false when the card names none of this person's here. */
  async onClick(context: TurnContext): Promise<boolean> {
    const flowId = (context.activity.value as { flowId?: unknown } | undefined)?.flowId;
    const state = (await this.kept(context)).find((f) => f.draft.flowId === flowId);
    if (!state) return false;
    const di = await this.services.dataIntegration(context);
    const result = await submitToFlow(di, state, context.activity.value, context.activity.replyToId);
    try {
      if (result.kind === 'run') {
        await say(context, 'setup.alreadyRan', { project: result.projectName });
        return true;
      }
      if (result.kind === 'schedule') {
        await say(context, 'setup.askingSchedule', { project: result.projectName, recurrence: recurrenceWords(result.recurrence) });
        // The card stays as it is, as after "Run now": an approver may reject, and it can be asked again.
        await this.services.requestSchedule(context, result.projectName, result.recurrence);
        return true;
      }
    } catch (err) {
      await say(context, failureText(err, result.kind === 'run' ? said('what.startRun', { project: result.projectName }) : said('what.askSchedule', { project: state.draft.created.projectName ?? '' })));
      return true;
    }
    // The form shown again with its errors (a bad "Recur every") replaces the clicked card; anything else is over.
    if (result.kind === 'show' && result.state.draft.step === state.draft.step) await showAgain(context, state, clickedCard(context, state), cardOf(context, state, result.view));
    else await say(context, result.kind === 'stale' ? staleAfterRun(result) : said('setup.finished', { project: state.draft.created.projectName ?? '' }));
    return true;
  }

  private async kept(context: TurnContext): Promise<FlowState[]> {
    const kept = await this.flows.get(context, []);
    return (Array.isArray(kept) ? kept : []).flatMap((f) => {
      const parsed = flowStateSchema.safeParse(f);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

/** A second "Create" here is not at step 5, as the flow would say: this setup is over, and its run started. */
function staleAfterRun(result: Extract<FlowResult, { kind: 'stale' }>): Said {
  return result.alreadyCreated ? said('setup.createdAndRan', { project: result.alreadyCreated }) : result.message;
}
