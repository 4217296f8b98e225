import { ComponentDialog, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { SIGN_IN_PROMPT, signedIn, signInPrompt } from './signInDialog';
import { SETUP_FLOW_DIALOG, SetupFlowDialog } from './setupFlowDialog';
import { SetupServices } from './setupServices';

/** The id of the guided setup: sign-in (Teams mode), then the forms. */
export const GUIDED_SETUP_DIALOG = 'GUIDED_SETUP_DIALOG';
const STEPS = 'GUIDED_SETUP_STEPS';

/**
 * "set up account sync". In Teams mode it first signs the person in through the bot's OAuth
 * connection: the Data Integrator is only shown to accept delegated (user) tokens. In local mode
 * the sandbox needs no sign-in and the flow starts at once.
 */
export class GuidedSetupDialog extends ComponentDialog {
  /** The forms' dialog, which also answers the step-5 card of a setup that ended with "Run now". */
  readonly flow: SetupFlowDialog;

  constructor(services: SetupServices, oauthConnectionName?: string) {
    super(GUIDED_SETUP_DIALOG);
    this.flow = new SetupFlowDialog(services);
    this.addDialog(this.flow);
    if (oauthConnectionName) this.addDialog(signInPrompt(oauthConnectionName));
    this.addDialog(new WaterfallDialog(STEPS, [
      async (step: WaterfallStepContext) => (oauthConnectionName ? step.beginDialog(SIGN_IN_PROMPT) : step.next({ token: 'local' })),
      async (step: WaterfallStepContext) => {
        if (!signedIn(step.result)) {
          await step.context.sendActivity('Without signing in I cannot read your environments or create anything in Data Integration, so the setup stopped. Type "set up account sync" to try again.');
          return step.endDialog();
        }
        return step.beginDialog(SETUP_FLOW_DIALOG);
      },
    ]));
    this.initialDialogId = STEPS;
  }
}
