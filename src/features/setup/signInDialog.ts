import { AsyncLocalStorage } from 'node:async_hooks';
import { ActivityTypes, tokenExchangeOperationName, type TurnContext, verifyStateOperationName } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogInstance, DialogSet, DialogTurnResult, DialogTurnStatus, OAuthPrompt, WaterfallDialog, WaterfallStepContext } from './dialogs';
import { ENGLISH, type Words } from '../../words/words';
import { say, wordsOf } from '../../teams/say';
import { stepPlace } from '../../render/setupCards';
import { type FlowState, flowStateSchema } from '../../setupRules/submitToFlow';

/** The id of the dialog behind the "sign in" command. */
export const SIGN_IN_DIALOG = 'SIGN_IN_DIALOG';
/** The id of the OAuth prompt inside a dialog that needs the person's token. */
const SIGN_IN_PROMPT = 'SIGN_IN_PROMPT';
const STEPS = 'SIGN_IN_STEPS';

/**
 * Where the setup keeps, in its own dialog state, that its sign-in again dropped the person's token and no sign-in took
 * its place yet (a click may have set the prompt aside): a setup cancelled then says what waits for their sign-in.
 */
const SIGN_IN_DROPPED = 'signInDropped';

/**
 * True when the setup `instance` (of `setup`, where its prompt is) had its sign-in again drop the person's token and
 * they have none still. The mark alone is not enough: they may have signed in elsewhere meanwhile ("sign in" in their
 * personal chat, another conversation with its own dialogs), and the setup would then say their runs wait when they do
 * not. A token service that does not answer leaves the mark to speak, as before.
 */
export async function signInDropped(context: TurnContext, setup: ComponentDialog, instance: DialogInstance): Promise<boolean> {
  if (instance.state[SIGN_IN_DROPPED] !== true) return false;
  const prompt = setup.findDialog(SIGN_IN_PROMPT) as OAuthPrompt | undefined;
  return !(await prompt?.getUserToken(context).catch(() => undefined));
}

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

/**
 * Where the person is, for the words that ask them to sign in: Teams signs a person in to a bot by itself (SSO, the
 * token exchange) only in their personal chat with it; in a channel or a group chat they must select the card's button.
 */
export const ssoWhere = (context: TurnContext) => ({ where: context.activity.conversation?.conversationType === 'personal' ? 'personal' : 'shared' });

/**
 * Teams' answer to a sign-in card that no prompt waits for any more: a click on the setup's form set its prompt aside,
 * "cancel" ended the "sign in" command's dialog, the prompt's timeout (5 minutes) ended it on this very answer, or the
 * person finished the card after that. The person did sign in, and
 * the token dropped by "sign in" is not back until the answer is taken: the prompt's own logic, on a prompt restored for
 * this turn only, redeems the magic code (verifyState) or exchanges Teams' token (tokenExchange), and answers the invoke.
 * True when that signed the person in. Teams delivers an answer again: the same exchange id reaches the bot once
 * (ssoTokenExchange.ts claims it across instances), and a verifyState that finds the person signed in already (the prompt,
 * or this, took it) is left unanswered, as before, so nothing is said twice.
 */
export async function signInNoPromptTook(context: TurnContext, prompt: OAuthPrompt): Promise<boolean> {
  const { type, name } = context.activity;
  if (type !== ActivityTypes.Invoke || (name !== verifyStateOperationName && name !== tokenExchangeOperationName)) return false;
  if (name === verifyStateOperationName && (await prompt.getUserToken(context))) return false;
  // The state an OAuthPrompt keeps while it waits (botbuilder-dialogs 4.23: its attempts, options and expiry), botbuilder's
  // own and not its API: signInNoPromptTook.test.ts runs this against the installed package (docs/development.md).
  const waiting = { id: prompt.id, state: { state: {}, options: {}, expires: Date.now() + 60_000 } };
  const restored = new DialogContext(new DialogSet().add(prompt), context, { dialogStack: [waiting] });
  return signedIn((await restored.continueDialog()).result);
}

/**
 * A sign-in card of the setup `dc` finished when no prompt waits in its inner dialogs (`signIn`): a click on its form set
 * the prompt aside. Signed in, the setup goes on at its step, as after a sign-in again the prompt took.
 */
export async function setupSignInNoPromptTook(dc: DialogContext, signIn: DialogContext, steps: SetupSignInSteps): Promise<DialogTurnResult> {
  const prompt = signIn.findDialog(SIGN_IN_PROMPT) as OAuthPrompt | undefined;
  // Only a sign-in again of this setup that no other took its place is finished here. Any other answer is Teams' again
  // for a card already answered (another of the person's clients sends the SSO exchange after its claim ran out, and the
  // SSO middleware's exchange leaves a token either way): the bot's plain 200 answers it, and the form is not sent again.
  if (dc.activeDialog!.state[SIGN_IN_DROPPED] !== true) return Dialog.EndOfTurn;
  if (!prompt || !(await signInNoPromptTook(dc.context, prompt))) return Dialog.EndOfTurn;
  return afterSignInAgain(dc, steps, true);
}

/**
 * Asks for the person's sign-in afresh. The stored token is dropped first: the prompt would otherwise take it back at
 * once, though the service may have refused it (expired or revoked), and "sign in" then led nowhere. Teams SSO signs the
 * person in again without a click where it can (their personal chat).
 */
async function promptAfresh(dc: DialogContext): Promise<DialogTurnResult> {
  await (dc.findDialog(SIGN_IN_PROMPT) as OAuthPrompt).signOutUser(dc.context);
  return dc.beginDialog(SIGN_IN_PROMPT);
}

/**
 * True when the prompt's turn, just ended, signed the person in. A prompt past its timeout ends without a token even on
 * Teams' answer to its card (verifyState, tokenExchange): the person finished the card late, but did sign in, so that
 * answer is taken as when no prompt waits. Only such an answer ends a prompt without a token (a wrong code or a failed
 * exchange keeps it waiting), so a declined or timed-out prompt is not asked twice. `prompts`: where the prompt is.
 */
async function promptSignedIn(prompts: DialogContext, result: unknown): Promise<boolean> {
  return signedIn(result) || signInNoPromptTook(prompts.context, prompts.findDialog(SIGN_IN_PROMPT) as OAuthPrompt);
}

/** Where a prompt (in `prompts`) left its caller: waiting, signed in (on to `then`), or not (`otherwise`: declined, timed out). */
async function afterPrompt(prompts: DialogContext, prompt: DialogTurnResult, then: () => Promise<DialogTurnResult>, otherwise: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  if (prompt.status === DialogTurnStatus.waiting) return Dialog.EndOfTurn;
  return (await promptSignedIn(prompts, prompt.result)) ? then() : otherwise();
}

/** What the setup's sign-in goes on to in the setup dialog (setupDialog.ts), each on the setup's dialog context. */
export interface SetupSignInSteps {
  /** Signed in before step 1: step 1's card. */
  startForms(): Promise<DialogTurnResult>;
  /** A click or text the forms take. */
  onClick(): Promise<DialogTurnResult>;
  /** The setup begun again (its first sign-in, when that is what it waits for). */
  begin(): Promise<DialogTurnResult>;
  /** Signed in again: the current form again, with what was typed on it (`flow`, read back). */
  formAgain(flow: FlowState): Promise<DialogTurnResult>;
}

/**
 * Begins the setup `dc` with the person's sign-in, then `then` (its forms): in Teams mode the prompt is among the setup's
 * own inner dialogs (`signIn`); without it (local mode), `then` at once.
 */
export async function signInFirst(dc: DialogContext, signIn: DialogContext, then: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
  return signIn.findDialog(SIGN_IN_PROMPT) ? afterPrompt(signIn, await signIn.beginDialog(SIGN_IN_PROMPT), then, () => declined(dc)) : then();
}

/** A click on a card (an Action.Submit message), not text typed nor a sign-in's own answer. */
const isCardClick = (context: TurnContext) => context.activity.type === ActivityTypes.Message && context.activity.value !== undefined;

/**
 * A turn of the setup `dc` while a sign-in prompt waits in its inner dialogs (`signIn`): its first sign-in before step 1,
 * or the person's sign-in again. The prompt would take a card click as declining: before step 1 no card of this setup
 * exists; after, the click is the form's, and the prompt is set aside ("sign in" asks again).
 */
export async function continueSetupSignIn(dc: DialogContext, signIn: DialogContext, steps: SetupSignInSteps): Promise<DialogTurnResult> {
  const started = dc.activeDialog!.state.flow !== undefined;
  if (isCardClick(dc.context)) {
    if (!started) {
      await say(dc.context, 'flow.notCurrent');
      return Dialog.EndOfTurn;
    }
    await signIn.cancelAllDialogs();
    return steps.onClick();
  }
  const prompt = await signIn.continueDialog();
  if (!started) return afterPrompt(signIn, prompt, () => steps.startForms(), () => declined(dc));
  return afterPrompt(signIn, prompt, () => afterSignInAgain(dc, steps, true), () => afterSignInAgain(dc, steps, false));
}

/**
 * "sign in" typed (or the "Sign in again" button clicked) while the setup `dc` is open. Before step 1: its sign-in card
 * again. After: a fresh sign-in (the service may have refused the one stored), waiting in the setup's inner dialogs
 * (`signIn`) beside its forms and draft; signed in, the setup goes on at its step.
 */
export async function signInAgain(dc: DialogContext, signIn: DialogContext, steps: SetupSignInSteps): Promise<DialogTurnResult> {
  const flow = flowStateSchema.safeParse(dc.activeDialog!.state.flow);
  if (!flow.success) return showOpenSetup(dc, signIn, steps);
  await say(dc.context, 'setup.signInAgain', { place: stepPlace(flow.data.draft.step), ...ssoWhere(dc.context) });
  await signIn.cancelAllDialogs();
  dc.activeDialog!.state[SIGN_IN_DROPPED] = true;
  return afterPrompt(signIn, await promptAfresh(signIn), () => afterSignInAgain(dc, steps, true), () => afterSignInAgain(dc, steps, false));
}

/**
 * "set up account sync" typed while the setup `dc` is open: where it is, shown again. While it waits for its first
 * sign-in that is the sign-in card again (a fresh prompt: the waiting one would take the text as declining, and a
 * sign-in done meanwhile goes on to step 1); at a form, its card again (a sign-in again that waits in `signIn` is set
 * aside: "sign in" asks again).
 */
export async function showOpenSetup(dc: DialogContext, signIn: DialogContext, steps: SetupSignInSteps): Promise<DialogTurnResult> {
  if (!signIn.activeDialog) return steps.onClick();
  await signIn.cancelAllDialogs();
  return dc.activeDialog!.state.flow === undefined ? steps.begin() : steps.onClick();
}

/**
 * The sign-in again ended. Signed in: the current form again, with what was typed on it when the service refused the
 * sign-in. Not signed in (declined, or it took too long): the setup stays where it is, and says so.
 */
async function afterSignInAgain(dc: DialogContext, steps: SetupSignInSteps, signedIn: boolean): Promise<DialogTurnResult> {
  const flow = flowStateSchema.safeParse(dc.activeDialog!.state.flow);
  if (!flow.success) return steps.onClick();
  const place = stepPlace(flow.data.draft.step);
  if (!signedIn) {
    await say(dc.context, 'setup.signInAgainDeclined', { place });
    return Dialog.EndOfTurn;
  }
  delete dc.activeDialog!.state[SIGN_IN_DROPPED];
  await say(dc.context, 'setup.signedInAgain', { place });
  return steps.formAgain(flow.data);
}

/** Declined before step 1: nothing was entered yet, so the setup ends, and says why. */
async function declined(dc: DialogContext): Promise<DialogTurnResult> {
  await say(dc.context, 'setup.signInDeclined');
  return dc.endDialog();
}

/** "sign in" outside a setup: asks for the person's sign-in afresh, and says whether it worked. */
export class SignInDialog extends ComponentDialog {
  constructor(connectionName: string) {
    super(SIGN_IN_DIALOG);
    this.addDialog(signInPrompt(connectionName));
    this.addDialog(new WaterfallDialog(STEPS, [
      (step: WaterfallStepContext) => promptAfresh(step),
      async (step: WaterfallStepContext) => {
        await say(step.context, (await promptSignedIn(step, step.result)) ? 'signIn.done' : 'signIn.notDone');
        return step.endDialog();
      },
    ]));
    this.initialDialogId = STEPS;
  }

  /** Teams' answer to this dialog's sign-in card, come after the dialog ended ("cancel"): true when it signed the person in. */
  signInNoPromptTook(context: TurnContext): Promise<boolean> {
    return signInNoPromptTook(context, this.findDialog(SIGN_IN_PROMPT) as OAuthPrompt);
  }
}
