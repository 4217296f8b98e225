import { AuthenticationConstants } from 'botframework-connector';
import { Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { Config } from '../config';
import { Logger } from '../logger';
import { turnLogger } from './turnLogger';
import { replyText } from './say';
import { OutboundDeadlineError, withOutboundDeadline } from './outboundDeadline';
import { installSigningKeys, ResilientSigningKeys } from './signingKeys';
import { StateSetAside, StateStoreUnavailable } from '../storage/stateStores';
import type { MessageId } from '../words/catalogue';

/** CloudAdapter that lets the server parse the request itself and see auth failures as errors. */
export class BotAdapter extends CloudAdapter {
  /** Authenticates and runs one activity; throws AuthenticationError for a bad or missing token. */
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The public cloud's settings with another token service. Setting any one of these makes botbuilder take
 * all of them as given (an unset token issuer would refuse every channel token), so all are spelled out.
 */
function publicCloudWithTokenService(oAuthUrl: string) {
  return {
    OAuthUrl: oAuthUrl.replace(/\/+$/, ''),
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * The Bot Framework adapter. With no app id it accepts unauthenticated activities and replies
 * to `activity.serviceUrl` without a token (a local channel); with one, it requires a valid
 * Bot Framework token on every request.
 */
export function createAdapter(config: Config, logger: Logger): BotAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(
    config.mode === 'teams'
      ? {
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppPassword: config.MicrosoftAppPassword,
          MicrosoftAppType: config.MicrosoftAppType,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
          ...(config.BOT_OAUTH_URL ? publicCloudWithTokenService(config.BOT_OAUTH_URL) : {}),
        }
      : {},
  );
  if (config.mode === 'teams') installSigningKeys(new ResilientSigningKeys({ metadataUrl: config.BOT_OPENID_METADATA_URL, timeoutMs: config.BOT_TIMEOUT_MS, logger }));
  const adapter = new BotAdapter(withOutboundDeadline(auth, config.BOT_TIMEOUT_MS));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    if (error instanceof StateStoreUnavailable) {
      (turnLogger(context) ?? logger).warn({ err: error }, 'state store not answering: turn answered with the storage notice');
      return answerInstead(context, 'error.storageDown', logger);
    }
    // readableState logged the key and set the value aside: the person is told, and their next turn reads afresh.
    if (error instanceof StateSetAside) return answerInstead(context, 'error.stateSetAside', logger);
    (turnLogger(context) ?? logger).error({ err: error }, 'unhandled error in turn');
    // A Bot Connector that did not answer in time would not take the apology either.
    if (context.activity.type === 'message' && !(error instanceof OutboundDeadlineError)) {
      await context
        .sendActivity(replyText(context, 'error.turnFailed'))
        .catch((sendError: unknown) => logger.warn({ err: sendError }, 'could not tell the user about the error'));
    }
  };
  return adapter;
}

/**
 * A turn that could not go on for a reason of the state (storage not answering, a value set aside): the person is told
 * so at once (a message, or the answer to their click), never a 500.
 */
async function answerInstead(context: TurnContext, id: MessageId, logger: Logger): Promise<void> {
  const { type } = context.activity;
  const answer = type === 'invoke'
    ? { type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: replyText(context, id) } } }
    : type === 'message' ? { type: 'message', text: replyText(context, id) } : undefined;
  if (answer) await context.sendActivity(answer).catch((err: unknown) => logger.warn({ err, answer: id }, 'could not tell the user why their turn stopped'));
}
