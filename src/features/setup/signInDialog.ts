import { AsyncLocalStorage } from 'node:async_hooks';
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogInstance, DialogTurnResult, DialogTurnStatus, OAuthPrompt, WaterfallDialog, WaterfallStepContext } from './dialogs';
import { ENGLISH, type Words } from '../../words/words';
import { say, wordsOf } from '../../teams/say';

/** The id of the dialog behind the "sign in" command. */
export const SIGN_IN_DIALOG = 'SIGN_IN_DIALOG';
/** The id of the OAuth prompt inside a dialog that needs the person's token. */
const SIGN_IN_PROMPT = 'SIGN_IN_PROMPT';
const STEPS = 'SIGN_IN_STEPS';

/** True when a prompt's result carries a token. */
function signedIn(result: unknown): boolean {
  return Boolean((result as { token?: string } | undefined)?.token);
}

/** The words of the turn whose prompt is being shown: the prompt's settings are one object for every turn, read while it sends. */
const promptWords = new AsyncLocalStorage<Words>();

/** The OAuth prompt in the words of the person it is shown to (its card was English for everyone). */
class WordedOAuthPrompt extends OAuthPrompt {
  override beginDialog(dc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return promptWords.run(wordsOf(dc.context), () => super.beginDialog(dc, options));
  }

  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return promptWords.run(wordsOf(dc.context), () => super.continueDialog(dc));
  }

  override repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    return promptWords.run(wordsOf(context), () => super.repromptDialog(context, instance));
  }
}

/** The bot's OAuth connection as a prompt: the Data Integrator only accepts the person's own (delegated) token. */
export function signInPrompt(connectionName: string): OAuthPrompt {
  const words = () => promptWords.getStore() ?? ENGLISH;
  return new WordedOAuthPrompt(SIGN_IN_PROMPT, {
    connectionName,
    // Worded when the prompt is shown, not when the bot is built: the first sentence worded loads ICU's locale data
    // (tens of ms), which the start need not wait for.
    get title() { return words().reply('signIn.prompt.title'); },
    get text() { return words().reply('signIn.prompt.text'); },
    timeout: 5 * 60_000,
    // Anything typed instead of signing in counts as declining, so the person is not stuck in the prompt.
    endOnInvalidMessage: true,
  });
}

/** Begins a setup with the person's sign-in (Teams mode: `signIn` is the setup's own inner dialogs), then `then` (its forms); without `signIn`, `then` at once. */
export async function signInFirst(dc: DialogContext, signIn: DialogContext | undefined, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  return signIn ? afterPrompt(await signIn.beginDialog(SIGN_IN_PROMPT), then, () => declined(dc)) : then();
}

/** A turn while that sign-in prompt waits: still waiting, `then` once signed in, or the setup's end when declined. */
export async function continueSignIn(dc: DialogContext, signIn: DialogContext, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  return afterPrompt(await signIn.continueDialog(), then, () => declined(dc));
}

/**
 * "sign in" during a setup whose forms started (the service refused the person's sign-in: expired or revoked). The
 * stored token is dropped first: the prompt would otherwise take it back at once, the very token the service refused.
 * The fresh prompt waits in the setup's inner dialogs, beside its forms and draft.
 */
export async function beginSignInAgain(signIn: DialogContext): Promise<DialogTurnResult> {
  await signIn.cancelAllDialogs();
  await (signIn.findDialog(SIGN_IN_PROMPT) as OAuthPrompt).signOutUser(signIn.context);
  return signIn.beginDialog(SIGN_IN_PROMPT);
}

/** Where a prompt left the setup: waiting, signed in (on to `then`), or not (`otherwise`: declined, timed out). */
export async function afterPrompt(prompt: DialogTurnResult, then: () => Promise<DialogTurnResult>, otherwise: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  if (prompt.status === DialogTurnStatus.waiting) return Dialog.EndOfTurn;
  return signedIn(prompt.result) ? then() : otherwise();
}

/** Declined before step 1: nothing was entered yet, so the setup ends, and says why. */
async function declined(dc: DialogContext): Promise<DialogTurnResult> {
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
