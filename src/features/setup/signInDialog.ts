import { ComponentDialog, Dialog, DialogContext, DialogTurnResult, DialogTurnStatus, OAuthPrompt, WaterfallDialog, WaterfallStepContext } from './dialogs';
import { ENGLISH } from '../../words/words';
import { say } from '../../teams/say';

/** The id of the dialog behind the "sign in" command. */
export const SIGN_IN_DIALOG = 'SIGN_IN_DIALOG';
/** The id of the OAuth prompt inside a dialog that needs the person's token. */
const SIGN_IN_PROMPT = 'SIGN_IN_PROMPT';
const STEPS = 'SIGN_IN_STEPS';

/** True when a prompt's result carries a token. */
function signedIn(result: unknown): boolean {
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

/** Begins a setup with the person's sign-in (Teams mode: `signIn` is the setup's own inner dialogs), then `then` (its forms); without `signIn`, `then` at once. */
export async function signInFirst(dc: DialogContext, signIn: DialogContext | undefined, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  return signIn ? afterPrompt(dc, await signIn.beginDialog(SIGN_IN_PROMPT), then) : then();
}

/** A turn while that sign-in prompt waits: still waiting, `then` once signed in, or the setup's end when declined. */
export async function continueSignIn(dc: DialogContext, signIn: DialogContext, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  return afterPrompt(dc, await signIn.continueDialog(), then);
}

/** Where the prompt left the setup: waiting, signed in (on to `then`), or declined (the setup ends, and says why). */
async function afterPrompt(dc: DialogContext, prompt: DialogTurnResult, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  if (prompt.status === DialogTurnStatus.waiting) return Dialog.EndOfTurn;
  if (signedIn(prompt.result)) return then();
  await say(dc.context, 'setup.signInDeclined');
  return dc.endDialog();
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
