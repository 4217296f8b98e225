import restify, { Response, Server } from 'restify';
import { Activity, TurnContext } from 'botbuilder';
import { BotAdapter } from '../teams/adapter';
import { z } from 'zod';
import { Logger } from '../logger';
import { servePolicyPages } from './policyPages';
import { ActivityGuard, refuseBeforeBody, sendRefusal, tenantsOf } from './requestGuards';
import { traceTurn } from './traceTurn';
import { turnFailureAnswer } from './turnFailure';
import { ENGLISH } from '../words/words';

/** The least an activity needs for the bot to answer it; anything less is a 400. */
const inboundActivitySchema = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.url(),
    channelId: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).loose(),
  })
  .loose();

/** What the HTTP server needs from the rest of the app. */
export interface ServerDeps {
  adapter: BotAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  health: () => { status: 'ok' | 'starting' | 'stopping'; version: string; mode: string };
  /** /readyz: whether the state store answers (and who leads); ready (200) or not (503). */
  ready?: () => Promise<{ ready: boolean }>;
  /** Teams mode: a request without a token is refused before it is even parsed. */
  requireAuth: boolean;
  /** Checks on the activity and its token before the adapter runs (see src/http/requestGuards.ts). */
  activityGuard?: ActivityGuard;
}

/** Counts turns in flight so that shutdown can wait for them. */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) this.waiters.splice(0).forEach((w) => w());
    }
  }
  /** Resolves once no turn is running, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }
}

/**
 * How long a client may take to send a request, and how long an idle connection is kept. With Node's defaults a
 * client that sent its headers a byte a second held its connection 90 s, and one that sent its body so 5 minutes
 * (measured on the production entry: docs/security.md), so enough of them could hold an instance's connections for
 * minutes. The Bot Connector sends an activity (a few KB, at most 1 MB) at once and gives up on the answer after
 * 15 s, so these limits never cut it short. They count only the receiving of a request and the idle time between
 * two: a turn may take as long as it takes to answer (a Create that retries through time-outs can take minutes),
 * as Node stops the request's clock once it is read, and no limit is set on a socket that waits for the answer.
 */
export const CONNECTION_LIMITS = {
  /** The request's headers must all have arrived this long after it began. */
  headersMs: 10_000,
  /** The whole request (headers and body) must have arrived this long after it began. */
  requestMs: 20_000,
  /**
   * An idle connection is kept this long for the next request. App Service on Linux keeps its proxy's connections to
   * the app idle for up to 60 s and reuses them: a shorter limit (Node's default is 5 s) closes connections the proxy
   * is about to send a request on, which the caller gets as a 502 (Azure-App-Service/ImageBuilder#323).
   */
  keepAliveMs: 75_000,
  /** How often Node looks for requests past those limits: its default (30 s) let one stay up to 30 s longer. */
  checkEveryMs: 1_000,
} as const;

export type ConnectionLimits = { readonly [K in keyof typeof CONNECTION_LIMITS]: number };

/** Builds the restify server with /api/messages, /healthz (liveness), /readyz (readiness), and the /privacy and /terms pages. */
export function createServer(deps: ServerDeps, inFlight: InFlight, limits: ConnectionLimits = CONNECTION_LIMITS): Server {
  const server = restify.createServer({ name: 'data-integration-bot', handleUncaughtExceptions: false });
  limitConnections(server, limits);
  // While the process stops, every answer closes its connection: the proxy sends nothing more on it, and shutdown
  // does not wait out the keep-alive time (processLife.ts). A turn's answer is checked again when it is written.
  const closeWhenStopping = (res: Response) => { if (deps.health().status === 'stopping') res.setHeader('connection', 'close'); };
  server.pre((_req, res, next) => { closeWhenStopping(res); next(); });
  server.pre(refuseBeforeBody(deps.logger, deps.requireAuth));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.get('/healthz', async (_req, res) => {
    const health = deps.health();
    res.send(health.status === 'ok' ? 200 : 503, health);
  });

  server.get('/readyz', async (_req, res) => {
    const readiness = deps.ready ? await deps.ready() : { ready: deps.health().status === 'ok' };
    res.send(readiness.ready ? 200 : 503, readiness);
  });

  servePolicyPages(server);

  server.post('/api/messages', async (req, res) => {
    // Without a token (when one is required) the request was refused before its body was read (refuseBeforeBody).
    const auth = req.header('authorization') ?? '';
    const parsed = inboundActivitySchema.safeParse(req.body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
      deps.logger.warn({ fields }, 'malformed activity refused');
      res.send(400, { error: ENGLISH.reply('http.notActivity', { fields: { long: fields } }) });
      return;
    }
    const refusal = deps.activityGuard?.(auth, parsed.data);
    if (refusal) {
      deps.logger.warn({ status: refusal.status, reason: refusal.error, conversationId: parsed.data.conversation.id, tenantIds: tenantsOf(parsed.data) }, 'activity refused');
      return sendRefusal(res, refusal);
    }
    try {
      const response = await traceTurn(req.headers, parsed.data, () => inFlight.track(() =>
        deps.adapter.handleActivity(auth, req.body as Activity, deps.logic),
      ));
      closeWhenStopping(res);
      res.send(response?.status ?? 200, response?.body);
    } catch (err) {
      closeWhenStopping(res);
      const answer = turnFailureAnswer(err);
      deps.logger.warn({ err, conversationId: parsed.data.conversation.id }, answer.log);
      sendRefusal(res, answer);
    }
  });
  return server;
}

/** Applies the limits to the Node server under restify (before it listens: Node reads `connectionsCheckingInterval` then). */
function limitConnections(server: Server, limits: ConnectionLimits): void {
  const http = server.server;
  http.headersTimeout = limits.headersMs;
  http.requestTimeout = limits.requestMs;
  http.keepAliveTimeout = limits.keepAliveMs;
  (http as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = limits.checkEveryMs;
}
