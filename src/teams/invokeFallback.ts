import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, InvokeResponse, StatusCodes, TurnContext } from 'botbuilder';
import { turnLogger } from './turnLogger';
import { replyText } from './say';

/** The Universal Actions error answer (`application/vnd.microsoft.error`): Teams shows its message to the person who clicked. */
export function cardActionError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

/** An Action.Execute whose verb the bot does not know (a card from an older version, or a made-up one). */
export function unknownCardAction(context: TurnContext, value: AdaptiveCardInvokeValue): AdaptiveCardInvokeResponse {
  const verb = typeof value.action?.verb === 'string' ? value.action.verb.slice(0, 100) : typeof value.action?.verb;
  turnLogger(context)?.warn({ verb }, 'card action with an unknown verb refused');
  return cardActionError(StatusCodes.BAD_REQUEST, 'BadRequest', replyText(context, 'error.cardOutdated'));
}

const isExecute = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { action?: { type?: unknown } }).action?.type === 'Action.Execute';

/** What Teams expects instead of a 501 for the invokes this bot offers nothing for (no dialogs, no message extension). */
function explicitAnswer(context: TurnContext, name: string): InvokeResponse {
  const text = replyText(context, 'error.noDialogs');
  if (name.startsWith('task/')) return { status: StatusCodes.OK, body: { task: { type: 'message', value: text } } };
  if (name.startsWith('composeExtension/')) return { status: StatusCodes.OK, body: { composeExtension: { type: 'message', text } } };
  return { status: StatusCodes.NOT_IMPLEMENTED, body: { code: 'NotImplemented', message: replyText(context, 'error.invokeNotHandled', { name: name.slice(0, 100) }) } };
}

/**
 * Runs the SDK's invoke routing and replaces what it would answer with nothing: an
 * `adaptiveCard/action` without an Action.Execute (the SDK throws a TypeError on it) gets the
 * Universal Actions error, and any invoke nobody handles gets an explicit, logged answer instead of
 * a 501 with an empty body.
 */
export async function answerUnhandledInvoke(context: TurnContext, route: () => Promise<InvokeResponse>): Promise<InvokeResponse> {
  const name = context.activity.name ?? '';
  const log = turnLogger(context);
  if (name === 'adaptiveCard/action' && !isExecute(context.activity.value)) {
    log?.warn('adaptiveCard/action without an Action.Execute refused');
    const body = cardActionError(StatusCodes.BAD_REQUEST, 'BadRequest', replyText(context, 'error.noExecute'));
    return { status: body.statusCode, body };
  }
  const response = await route();
  if (response.status !== StatusCodes.NOT_IMPLEMENTED || response.body !== undefined) return response;
  log?.warn({ name: name.slice(0, 100) }, 'invoke not handled: answered explicitly');
  return explicitAnswer(context, name);
}
