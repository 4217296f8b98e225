import type { Next, Request, Response } from 'restify';
import type { Logger } from '../logger';
import { tokenProblem, TokenExpectations } from './tokenPrecheck';
import { ENGLISH } from '../words/words';
import { isLoopbackUrl } from '../loopback';

/** An answer given instead of running the turn. */
export interface Refusal {
  status: number;
  error: string;
  headers?: Record<string, string>;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Why a request is refused before its body is read. A browser-driven or non-JSON one: any page the person visits can
 * post a form (or `text/plain`) to a port on localhost without asking; Bot Framework channels, the playground page
 * (same origin) and the local connector's callers all send JSON, and no Origin from elsewhere. A compressed one: the
 * body limit counts bytes on the wire, and a few hundred KB of gzip inflate to gigabytes (Bot Framework does not
 * compress). And with `requireAuth`, a message without any token: nobody's body is read before they show one.
 */
export function refusalBeforeBody(req: Pick<Request, 'method' | 'header'> & { path?: () => string }, requireAuth = false): Refusal | undefined {
  if (!WITH_BODY.has(req.method ?? '')) return undefined;
  const site = req.header('sec-fetch-site');
  const origin = req.header('origin');
  if (site === 'cross-site' || (origin !== undefined && !isLoopbackUrl(origin))) {
    return { status: 403, error: ENGLISH.reply('http.otherSite') };
  }
  if (requireAuth && req.path?.() === '/api/messages' && !req.header('authorization')) return { status: 401, error: ENGLISH.reply('http.tokenRequired') };
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody = Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (hasBody && type !== 'application/json') return { status: 415, error: ENGLISH.reply('http.mediaType') };
  const encoding = (req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (hasBody && encoding !== 'identity') return { status: 415, error: ENGLISH.reply('http.encoding') };
  return undefined;
}

/** Sends a refusal: its status, its headers and `{error}`. */
export function sendRefusal(res: Response, refusal: Refusal): void {
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.header(name, value);
  res.send(refusal.status, { error: refusal.error });
}

/** Restify `pre` handler that applies refusalBeforeBody to every route, before any body is parsed. */
export function refuseBeforeBody(logger: Logger, requireAuth: boolean) {
  return (req: Request, res: Response, next: Next): void => {
    const refusal = refusalBeforeBody(req, requireAuth);
    if (!refusal) return next();
    logger.warn({ path: req.path(), status: refusal.status, origin: req.header('origin')?.slice(0, 200), secFetchSite: req.header('sec-fetch-site') }, 'request refused');
    sendRefusal(res, refusal);
    next(false);
  };
}

/** What the guards read of an activity (the rest is the adapter's). */
export interface GuardedActivity { serviceUrl: string; from?: unknown; conversation?: unknown; channelData?: unknown }

/** What is checked on an activity before the adapter sees it: in local mode where replies go, in Teams mode the token's claims, in both who sent it. */
export type ActivityGuard = (authorization: string, activity: GuardedActivity) => Refusal | undefined;

/**
 * Every activity a channel sends names who sent it (`from.id`); without it the bot could not tell whose
 * setup, approval or sign-in a turn is, so it answers nobody and is a 400.
 */
export function senderRefusal(activity: GuardedActivity): Refusal | undefined {
  const from = activity.from as { id?: unknown } | null | undefined;
  return typeof from?.id === 'string' && from.id.length > 0 && from.id.length <= 500
    ? undefined
    : { status: 400, error: ENGLISH.reply('http.noSender') };
}

/** Local mode: replies go only to a Bot Connector on this machine, so a request cannot make the bot post elsewhere. */
export function loopbackServiceUrlGuard(): ActivityGuard {
  return (_auth, activity) => isLoopbackUrl(activity.serviceUrl)
    ? undefined
    : { status: 403, error: ENGLISH.reply('http.localOnly') };
}

/** The tenants an activity names: its conversation's and its Teams channel data's (Teams sends both). */
export function tenantsOf(activity: GuardedActivity): string[] {
  const conversation = activity.conversation as { tenantId?: unknown } | null | undefined;
  const channelData = activity.channelData as { tenant?: { id?: unknown } | null } | null | undefined;
  return [conversation?.tenantId, channelData?.tenant?.id].filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/**
 * Teams mode: only activities of the bot's own tenant (MicrosoftAppTenantId). Bot Framework signs an activity for the
 * bot whatever tenant it comes from, and any tenant's admin can upload an app package naming the bot's id; but the bot
 * reads its own tenant's environments, connections and dataflows with its own identity and shows them to whoever asks
 * (docs/security.md), so another tenant's people would see them. An activity naming no tenant, or two, is refused too.
 */
export function tenantGuard(tenantId: string): ActivityGuard {
  const home = tenantId.toLowerCase();
  return (_auth, activity) => {
    const tenants = tenantsOf(activity);
    return tenants.length > 0 && tenants.every((t) => t.toLowerCase() === home)
      ? undefined
      : { status: 403, error: ENGLISH.reply('http.otherTenant') };
  };
}

/** The activity guard of a mode. */
export function activityGuardFor(config: { mode: 'local' | 'teams'; MicrosoftAppId?: string; MicrosoftAppTenantId?: string }): ActivityGuard {
  if (config.mode === 'local') {
    const local = loopbackServiceUrlGuard();
    return (authorization, activity) => local(authorization, activity) ?? senderRefusal(activity);
  }
  const token = tokenPrecheckGuard({ appId: config.MicrosoftAppId ?? '' });
  const tenant = tenantGuard(config.MicrosoftAppTenantId ?? '');
  // The token first: a caller without one learns nothing about what a valid activity looks like.
  return (authorization, activity) => token(authorization, activity) ?? tenant(authorization, activity) ?? senderRefusal(activity);
}

/** Teams mode: a token that cannot be a Bot Framework token is refused before any signing key is fetched. */
export function tokenPrecheckGuard(expected: TokenExpectations): ActivityGuard {
  return (authorization) => {
    const problem = tokenProblem(authorization, expected);
    return problem ? { status: 401, error: ENGLISH.reply('http.unauthorizedWhy', { why: problem }), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } } : undefined;
  };
}
