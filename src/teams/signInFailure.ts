import { InvokeResponse, StatusCodes, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { turnLogger } from './turnLogger';

/** The invoke Teams sends when its silent sign-in (SSO) failed in the client, before any token reached the bot. */
export const SIGNIN_FAILURE = 'signin/failure';

/** Longest part of the client's message that is logged: it says what failed, nothing after that is needed. */
const MESSAGE_MAX = 200;

/** Anything that looks like a token or a key (a JWT, a long base64 or hex run) is never logged, whatever the client put in the message. */
const TOKEN_LIKE = /eyJ[\w-]*\.?[\w.-]*|[\w+/=-]{32,}/g;

const failureSchema = z.object({
  code: z.string().catch('').transform((code) => code.replace(/[^\w.-]/g, '').slice(0, 40).replace(TOKEN_LIKE, '[redacted]') || 'unknown'),
  message: z.string().catch('').transform((m) => m.slice(0, 4 * MESSAGE_MAX).replace(TOKEN_LIKE, '[redacted]').slice(0, MESSAGE_MAX)),
}).catch({ code: 'unknown', message: '' });

/**
 * What the operator should check for each failure code Teams documents ("SSO Troubleshooting",
 * Microsoft Teams SDK). Teams shows nothing for most of them: sign-in just does not complete silently, and
 * the person gets the sign-in card instead.
 */
const CHECK: Record<string, string> = {
  resourcematchfailed: 'the manifest\'s webApplicationInfo.resource and the OAuth connection\'s token exchange URL must both be the Application ID URI the sign-in app registration exposes (api://botid-<bot id>; docs/deploy.md, "Teams SSO")',
  installedappnotfound: 'the app is not installed for this person or chat: install (or update) the app package in Teams',
  installappfailed: 'Teams could not install the app in the person\'s personal scope: check the app is allowed by the tenant\'s app policies',
  authrequestfailed: 'the SSO request failed after install: check the sign-in app registration is multi-tenant or in the tenant where the app is installed',
  oauthcardnotvalid: 'the OAuth connection of the bot (OAUTH_CONNECTION_NAME) and its token exchange URL',
  tokenmissing: 'Entra ID gave Teams no token: check the sign-in app registration exposes the scope access_as_user and pre-authorizes the Teams clients (docs/deploy.md, "Teams SSO")',
  invokeerror: 'a generic error in Teams\' SSO flow: check the manifest\'s webApplicationInfo (id and resource) against the sign-in app registration (docs/deploy.md, "Teams SSO")',
};
const CHECK_OTHER = 'the manifest\'s webApplicationInfo (id: the sign-in app\'s client id, resource: api://botid-<bot id>) against the Entra app registration\'s Application ID URI (docs/deploy.md, "Teams SSO")';

/**
 * Teams' `signin/failure` invoke: logs its failure code and a clipped message as a warning with what to
 * check, and acknowledges it (200). The person is not told here: Teams falls back to the sign-in card.
 */
export function answerSignInFailure(context: TurnContext): InvokeResponse {
  const { code, message } = failureSchema.parse(context.activity.value);
  turnLogger(context)?.warn({ code, message, check: CHECK[code.toLowerCase()] ?? CHECK_OTHER }, 'Teams SSO failed in the client (signin/failure)');
  return { status: StatusCodes.OK };
}
