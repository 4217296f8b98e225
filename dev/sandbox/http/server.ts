import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ServiceErrorWire } from '../wire/common';
import { Delays } from './delays';
import { adminFaultSchema, type FaultInjector, faultFromAdmin } from './faults';
import type { Router, SandboxRequest } from './router';
import { parseRequest, SandboxHttpError } from './sandboxHttpError';
import { TokenGate } from './tokenGate';

const MAX_BODY_BYTES = 1_000_000;

/** What the HTTP server is made of. */
export interface SandboxServerParts {
  router: Router;
  faults: FaultInjector;
  tokens: TokenGate;
  delays: Delays;
  logger?: Logger;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, error: SandboxHttpError, headers?: Record<string, string>): void {
  const body: ServiceErrorWire = { error: { code: error.code, message: error.message } };
  if (error.validationIssues.length > 0) body.validationIssues = error.validationIssues;
  send(res, error.status, body, headers);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SandboxHttpError(413, 'RequestTooLarge', 'The request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SandboxHttpError(400, 'InvalidJson', 'The request body is not valid JSON');
  }
}

/** Creates the sandbox's HTTP server: faults, bearer check, api-version, JSON, then the route's handler. */
export function createSandboxServer(parts: SandboxServerParts): http.Server {
  const { router, faults, tokens, delays, logger } = parts;

  const admin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (path !== '/_sandbox/faults') throw new SandboxHttpError(404, 'NotFound', 'No such admin route');
    if (req.method === 'POST') faults.inject(faultFromAdmin(parseRequest(adminFaultSchema, await readJson(req))));
    else if (req.method === 'DELETE') faults.clear();
    else if (req.method !== 'GET') throw new SandboxHttpError(405, 'MethodNotAllowed', 'Use GET, POST or DELETE');
    send(res, 200, { faults: faults.list().map((f) => ({ ...f, route: String(f.route) })) });
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_sandbox/')) return admin(req, res, url.pathname);
    const match = router.match(method, url.pathname);
    if (!match) throw new SandboxHttpError(404, 'NotFound', `No route ${url.pathname}`);
    if ('allowed' in match) throw new SandboxHttpError(405, 'MethodNotAllowed', `Use ${match.allowed.join(' or ')}`);
    const { route, params } = match;
    const fault = faults.take(route.name, method, url.pathname);
    if (fault?.delayMs && !(await delays.wait(fault.delayMs, res))) return;
    const token = TokenGate.bearer(req.headers.authorization);
    if (fault?.expiredToken && token) tokens.expire(token);
    const authFailure = tokens.check(token);
    if (authFailure) {
      return sendError(res, new SandboxHttpError(401, authFailure.code, authFailure.message), {
        'www-authenticate': `Bearer error="invalid_token", error_description="${authFailure.message}"`,
      });
    }
    if (fault?.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return sendError(res, new SandboxHttpError(fault.status, 'InjectedFault', `Injected ${fault.status}`), headers);
    }
    if (fault?.body !== undefined) return send(res, 200, fault.body);
    const { apiVersion } = route.spec;
    if (apiVersion && url.searchParams.get('api-version') !== apiVersion) {
      throw new SandboxHttpError(400, 'InvalidApiVersionParameter', `The api-version query parameter must be ${apiVersion}`);
    }
    const request: SandboxRequest = {
      params, query: url.searchParams, body: await readJson(req), origin: `http://${req.headers.host ?? '127.0.0.1'}`,
    };
    const reply = await route.handler(request);
    send(res, reply.status, reply.body);
  };

  return http.createServer((req, res) => {
    const started = Date.now();
    serve(req, res)
      .catch((error: unknown) => {
        if (error instanceof SandboxHttpError) return sendError(res, error);
        logger?.error({ err: error, method: req.method, path: req.url }, 'sandbox handler failed');
        sendError(res, new SandboxHttpError(500, 'InternalServerError', 'The sandbox failed to handle the request'));
      })
      .finally(() => {
        logger?.debug({ method: req.method, path: req.url, status: res.statusCode, ms: Date.now() - started }, 'sandbox request');
      });
  });
}
