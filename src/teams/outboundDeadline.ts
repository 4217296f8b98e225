import type { BotFrameworkAuthentication, ConnectorFactory } from 'botframework-connector';

/** Thrown when a Bot Framework call (Bot Connector, token service) did not answer within its deadline. */
export class OutboundDeadlineError extends Error {
  override readonly name = 'OutboundDeadlineError';
}

/** The part of the SDK's service clients (ConnectorClient, TokenApiClient) every operation goes through. */
interface OperationClient {
  sendOperationRequest(args: { options?: Record<string, unknown> }, spec: unknown, callback?: unknown): Promise<unknown>;
}

/**
 * Bounds every operation of an SDK service client: its request is aborted (the socket closed) and
 * the call rejects with OutboundDeadlineError after `ms`, retries and token acquisition included.
 * The SDK sets no time-out of its own, so a peer that accepts and never answers would hold the turn.
 */
function bounded<T>(client: T, ms: number): T {
  const c = client as unknown as OperationClient;
  const send = c.sendOperationRequest.bind(c);
  c.sendOperationRequest = (args, spec, callback) => {
    const controller = new AbortController();
    const given = args.options?.abortSignal as AbortSignal | undefined;
    const abortSignal = given ? AbortSignal.any([given, controller.signal]) : controller.signal;
    // One promise settled by whichever comes first (no race of two, nor a finally: every reply goes through here).
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new OutboundDeadlineError(`The Bot Framework service did not answer within ${ms} ms`);
        reject(error);
        controller.abort(error);
      }, ms);
      send({ ...args, options: { ...args.options, abortSignal } }, spec, callback).then(
        (value) => { clearTimeout(timer); resolve(value); },
        (error: unknown) => { clearTimeout(timer); reject(error); },
      );
    });
  };
  return client;
}

function boundedFactory(factory: ConnectorFactory, ms: number): ConnectorFactory {
  return { create: async (serviceUrl, audience) => bounded(await factory.create(serviceUrl, audience), ms) } as ConnectorFactory;
}

/** Gives every Bot Connector and token service client that `auth` creates a deadline of `ms` per call. */
export function withOutboundDeadline<T extends BotFrameworkAuthentication>(auth: T, ms: number): T {
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  auth.authenticateRequest = async (activity, header) => {
    const result = await authenticateRequest(activity, header);
    return result.connectorFactory ? { ...result, connectorFactory: boundedFactory(result.connectorFactory, ms) } : result;
  };
  auth.createConnectorFactory = (identity) => boundedFactory(createConnectorFactory(identity), ms);
  auth.createUserTokenClient = async (identity) => {
    const tokens = await createUserTokenClient(identity);
    // UserTokenClientImpl keeps its TokenApiClient private; without it the token service has no deadline.
    const inner = (tokens as unknown as { client?: OperationClient }).client;
    if (inner?.sendOperationRequest) bounded(inner, ms);
    return tokens;
  };
  return auth;
}
