import { ComponentDialog, OAuthPrompt, WaterfallDialog, WaterfallStepContext } from './dialogs';
import { ENGLISH } from '../../words/words';
import { say } from '../../teams/say';

/** The id of the dialog behind the "sign in" command. */
export const SIGN_IN_DIALOG = 'SIGN_IN_DIALOG';
/** The id of the OAuth prompt inside a dialog that needs the person's token. */
export const SIGN_IN_PROMPT = 'SIGN_IN_PROMPT';
const STEPS = 'SIGN_IN_STEPS';

/** True when a prompt's result carries a token. */
export function signedIn(result: unknown): boolean {
  return Boolean((result as { token?: string } | undefined)?.token);
}

/** The bot's OAuth connection as a prompt: the Data Integrator only accepts the person's own (delegated) token. */
export function signInPrompt(connectionName: string): OAuthPrompt {
  return new OAuthPrompt(SIGN_IN_PROMPT, {
    connectionName,
    // Worded when the prompt is shown, not when the bot is built: the first sentence worded loads ICU's locale data
    // (tens of ms), which the start need not wait for.
    get title() { return ENGLISH.reply('signIn.prompt.title'); },
    get text() { return ENGLISH.reply('signIn.prompt.text'); },
    timeout: 5 * 60_000,
    // Anything typed instead of signing in counts as declining, so the person is not stuck in the prompt.
    endOnInvalidMessage: true,
  });
}

/** "sign in": asks for the person's sign-in and says whether it worked. */
export class SignInDialog extends ComponentDialog {
  constructor(connectionName: string) {
    super(SIGN_IN_DIALOG);
    this.addDialog(signInPrompt(connectionName));
    this.addDialog(new WaterfallDialog(STEPS, [
      (step: WaterfallStepContext) => step.beginDialog(SIGN_IN_PROMPT),
      async (step: WaterfallStepContext) => {
        await say(step.context, signedIn(step.result) ? 'signIn.done' : 'signIn.notDone');
        return step.endDialog();
      },
    ]));
    this.initialDialogId = STEPS;
  }
}
