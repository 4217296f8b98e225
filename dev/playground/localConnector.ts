import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import restify, { Request, Response, Server } from 'restify';
import { z } from 'zod';

/** The connector stores what the bot sends as it is; it only refuses a body that is not a JSON object. */
const activityBodySchema = z.looseObject({});

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  kind: 'send' | 'reply' | 'update' | 'delete' | 'createConversation';
  conversationId: string;
  activityId: string;
  replyToId?: string;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
  at: number;
}

/** A failure the connector answers with instead of accepting, for tests of the bot's sending. */
export interface ConnectorFault {
  status: number;
  retryAfterSeconds?: number;
  conversationId?: string;
  /** Only calls of this kind fail (default: any), e.g. "update" to refuse an edit but accept new messages. */
  kind?: ConnectorCall['kind'];
  times: number;
  code?: string;
}

/** A member of a conversation, as GET /members answers. */
export interface ConnectorMember { id: string; name: string; aadObjectId?: string; userPrincipalName?: string }

/** How a long-running connector (the playground's) differs from a test's. */
export interface LocalConnectorOptions {
  /** Keep only the last `keepCalls` calls in `calls` (default: all). */
  keepCalls?: number;
  /** The existing one-to-one chat with a member, as Teams answers POST /v3/conversations for it (default: a new id). */
  personalChatOf?: (member: ConnectorMember) => string | undefined;
}

/**
 * The Bot Connector v3 routes the bot calls (send, reply, update, delete, members, create
 * conversation), on loopback. It records every call and emits it as a "call" event, so tests
 * and the local playground see exactly what Teams would receive.
 */
export class LocalConnector extends EventEmitter {
  readonly calls: ConnectorCall[] = [];
  private readonly faults: ConnectorFault[] = [];
  private readonly members = new Map<string, ConnectorMember>();

  constructor(private readonly options: LocalConnectorOptions = {}) {
    super();
  }

  /** Registers the routes on a restify server under `prefix` (e.g. "" or "/_connector"). */
  mount(server: Server, prefix = ''): void {
    const p = `${prefix}/v3/conversations`;
    server.post(p, async (req, res) => this.record(req, res, 'createConversation'));
    server.post(`${p}/:conversationId/activities`, async (req, res) => this.record(req, res, 'send'));
    server.post(`${p}/:conversationId/activities/:activityId`, async (req, res) => this.record(req, res, 'reply'));
    server.put(`${p}/:conversationId/activities/:activityId`, async (req, res) => this.record(req, res, 'update'));
    server.del(`${p}/:conversationId/activities/:activityId`, async (req, res) => this.record(req, res, 'delete'));
    server.get(`${p}/:conversationId/members`, async (_req, res) => { res.send(200, [...this.members.values()]); });
    server.get(`${p}/:conversationId/members/:memberId`, async (req, res) => {
      const member = this.member(String(req.params.memberId));
      if (member) res.send(200, member);
      else res.send(404, { error: { code: 'MemberNotFoundInConversation', message: 'Member not found' } });
    });
  }

  /** Adds people that GET /members returns. */
  addMembers(...members: ConnectorMember[]): void {
    members.forEach((m) => this.members.set(m.id, m));
  }

  /** A member by user MRI or, as Teams also accepts, by Azure AD object id. */
  member(id: string): ConnectorMember | undefined {
    return this.members.get(id) ?? [...this.members.values()].find((m) => m.aadObjectId === id);
  }

  /** Makes the next `times` calls (optionally of one kind, to one conversation) fail with `status`. */
  injectFault(fault: Omit<ConnectorFault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Takes every injected fault away (the end of an outage made with `times: Infinity`). */
  clearFaults(): void {
    this.faults.splice(0);
  }

  /** Calls that carried an activity to a conversation (sends, replies, updates), in order. */
  messages(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((c) => c.kind !== 'delete' && (!conversationId || c.conversationId.startsWith(conversationId)));
  }

  /** Resolves with the first recorded call (past or future) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (call: ConnectorCall) => boolean, timeoutMs = 10_000): Promise<ConnectorCall> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: ConnectorCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(new Error(`no matching connector call within ${timeoutMs} ms; saw ${this.calls.length} calls`));
      }, timeoutMs);
      this.on('call', onCall);
    });
  }

  private record(req: Request, res: Response, kind: ConnectorCall['kind']): void {
    const conversationId = String(req.params.conversationId ?? '');
    if (this.takeFault(kind, conversationId, res)) return;
    const parsed = activityBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.send(400, { error: { code: 'BadArgument', message: 'The body must be an activity (a JSON object)' } });
      return;
    }
    const body = parsed.data as Record<string, unknown>;
    const activityId = kind === 'update' || kind === 'delete' ? String(req.params.activityId) : randomUUID();
    if (kind === 'createConversation') {
      const created = this.createConversation(body, activityId);
      res.send(201, created);
      return;
    }
    const call: ConnectorCall = {
      kind, conversationId, activityId, at: Date.now(),
      replyToId: kind === 'reply' ? String(req.params.activityId) : undefined,
      activity: { ...(body as ConnectorCall['activity']), id: activityId },
    };
    this.keep(call);
    res.send(kind === 'send' || kind === 'reply' ? 201 : 200, { id: activityId });
  }

  /** A new channel thread is the channel's id plus ";messageid=" and its first message's id, as in Teams. */
  private createConversation(body: Record<string, unknown>, activityId: string): { id: string; activityId: string } {
    const channelData = (body.channelData ?? {}) as { channel?: { id?: string } };
    const id = channelData.channel?.id ? `${channelData.channel.id};messageid=${activityId}` : this.personalChat(body) ?? `a:${randomUUID()}`;
    const activity = body.activity as ConnectorCall['activity'] | undefined;
    if (activity) {
      const call: ConnectorCall = { kind: 'createConversation', conversationId: id, activityId, at: Date.now(), activity: { ...activity, id: activityId } };
      this.keep(call);
    }
    return { id, activityId };
  }

  private keep(call: ConnectorCall): void {
    this.calls.push(call);
    const keep = this.options.keepCalls;
    if (keep !== undefined && this.calls.length > keep) this.calls.splice(0, this.calls.length - keep);
    this.emit('call', call);
  }

  /** The one-to-one chat Teams would answer for `{ members: [{ id }] }`, when the playground knows that person. */
  private personalChat(body: Record<string, unknown>): string | undefined {
    const members = Array.isArray(body.members) ? (body.members as Array<{ id?: unknown }>) : [];
    const member = members.length === 1 && typeof members[0].id === 'string' ? this.member(members[0].id) : undefined;
    return member && this.options.personalChatOf?.(member);
  }

  private takeFault(kind: ConnectorCall['kind'], conversationId: string, res: Response): boolean {
    const fault = this.faults.find((f) => f.times > 0 && (!f.kind || f.kind === kind) && (!f.conversationId || conversationId.startsWith(f.conversationId)));
    if (!fault) return false;
    fault.times--;
    if (fault.retryAfterSeconds !== undefined) res.header('Retry-After', String(fault.retryAfterSeconds));
    res.send(fault.status, { error: { code: fault.code ?? `Status${fault.status}`, message: 'injected by the local connector' } });
    return true;
  }
}

/** Starts a stand-alone local connector on loopback (tests use one per suite). */
export async function startLocalConnector(port = 0): Promise<{ connector: LocalConnector; serviceUrl: string; close(): Promise<void> }> {
  const server = restify.createServer({ name: 'local-connector' });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const connector = new LocalConnector();
  connector.mount(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return {
    connector,
    serviceUrl: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
