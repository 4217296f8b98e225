import { CloudAdapter, ConversationReference, Middleware, TurnContext } from 'botbuilder';
import { ApprovalService } from '../approvals/approvalService';
import type { ApprovalStore } from '../approvals/approvalStore';
import type { Leadership } from '../storage/stateStores';
import type { DataIntegration, Recurrence } from '../integration/port';
import type { Logger } from '../logger';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import type { ConversationTransport } from '../notifications/outbound';
import { ProactiveSender, RetryOptions } from '../notifications/proactiveSender';
import { RunWatcher } from '../notifications/runWatcher';
import { Watch, WatchInput, WatchRecords, WatchStore } from '../notifications/watchStore';
import type { Person } from '../person';
import { approvalCard } from '../render/approvalCards';
import { cardAttachment } from '../render/cardRenderer';
import { alertActions } from './alertActions';
import { approvalCommands, requestSchedule } from './approvalCommands';
import { approvalActions } from './approvalInvokes';
import { BackgroundWork } from './backgroundWork';
import { asInvoke, asSubmit, InvokeHandler, SubmitHandler } from './cardActions';
import { baseConversationId } from './conversationReferences';
import type { DataIntegrationSource } from './dataIntegrationSource';
import { notifyCommand } from './notifyCommand';
import { botConnectorTransport } from './proactive';
import type { CommandHandler } from './teamsBot';

/** What the feature needs from the composition root. */
export interface ApprovalsAndAlertsDeps {
  /** Where approvals and watches are kept (SQLite or Azure Tables). */
  stores: { approvals: ApprovalStore; watches: WatchRecords; leadership: Leadership };
  refs: ConversationReferenceStore;
  adapter: CloudAdapter;
  /** The bot's app id; '' in local mode. */
  appId: string;
  /** The client acting for the person of a turn (also used inside proactive turns for a stored person). */
  source: DataIntegrationSource;
  logger: Logger;
  settings: { approvers: readonly string[]; allowSelfApproval: boolean; approvalTtlHours: number; pollSeconds: number };
  /** Tests shorten clocks and retries, or swap the transport. */
  tuning?: { minuteMs?: number; pollMs?: number; adminUrl?: string; retry?: RetryOptions; now?: () => Date; expirySweepMs?: number; transport?: ConversationTransport };
}

/** Schedule approvals and run alerts, wired: what the bot registers, and how to start and stop it. */
export interface ApprovalsAndAlerts {
  approvals: ApprovalService;
  watches: WatchStore;
  watcher: RunWatcher;
  sender: ProactiveSender;
  commands: { schedule: CommandHandler; history: CommandHandler; notify: CommandHandler };
  /** `adaptiveCard/action` handlers by verb. */
  invokes: Record<string, InvokeHandler>;
  /** Action.Submit handlers by verb (clients without Universal Actions). */
  submits: Record<string, SubmitHandler>;
  /** Watches again in a conversation the bot had been removed from, once it hears from it. */
  middleware: Middleware;
  /** For the setup flow: asks for approval of a schedule, as "schedule <project> every …" does. */
  requestSchedule(context: TurnContext, projectName: string, recurrence: Recurrence): Promise<void>;
  /** For the setup flow: watches a project's runs in a conversation. */
  watchProject(input: WatchInput): Promise<Watch>;
  start(): void;
  /** Waits for background work (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the feature; nothing runs until start(). */
export function createApprovalsAndAlerts(deps: ApprovalsAndAlertsDeps): ApprovalsAndAlerts {
  const { stores, refs, adapter, appId, source, logger, settings, tuning = {} } = deps;
  const now = tuning.now ?? (() => new Date());
  const log = logger.child({ component: 'approvals-and-alerts' });
  const background = new BackgroundWork(log);
  const watches = new WatchStore(stores.watches, now);
  const approvals = new ApprovalService({
    store: stores.approvals, now, ttlHours: settings.approvalTtlHours,
    policy: { approvers: settings.approvers, allowSelfApproval: settings.allowSelfApproval },
  });
  const sender = new ProactiveSender({
    refs, transport: tuning.transport ?? botConnectorTransport(adapter, appId), logger: log, retry: tuning.retry,
    onGone: async (conversationId) => { await watches.markConversationGone(conversationId); },
  });

  /** A client acting for `person`, through a proactive turn in a conversation they are in (that is where their sign-in is looked up). */
  const integrationFor = async (person: Person, conversationId: string): Promise<DataIntegration | undefined> => {
    const record = await refs.get(conversationId);
    if (!record || !person.userId) return undefined;
    const reference = { ...record.reference, user: { id: person.userId, name: person.name, aadObjectId: person.aadObjectId } } as unknown as Partial<ConversationReference>;
    let client: DataIntegration | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => { client = await source(context); });
    return client;
  };

  const watcher = new RunWatcher(
    { watches, sender, now, logger: log, mayAct: () => stores.leadership.isLeader(), integrationFor: (w) => integrationFor(w.owner, w.conversationId) },
    { pollMs: tuning.pollMs ?? settings.pollSeconds * 1000, minuteMs: tuning.minuteMs, adminUrl: tuning.adminUrl },
  );
  const actions = { ...approvalActions({ approvals, sender, background, integrationFor, logger: log }), ...alertActions(source, tuning.adminUrl) };
  const commandDeps = { approvals, refs, sender, source };

  const sweepExpired = async () => {
    for (const request of await approvals.expireDue()) {
      const activity = { type: 'message' as const, attachments: [cardAttachment(approvalCard(request, { viewer: 'everyone' }))] };
      background.run('update an expired approval card', async () => {
        for (const card of await approvals.cards(request.id)) await sender.update(card.conversationId, card.activityId, activity);
      });
    }
  };
  let sweeper: NodeJS.Timeout | undefined;

  return {
    approvals, watches, watcher, sender,
    commands: { ...approvalCommands(commandDeps), notify: notifyCommand(watches) },
    invokes: Object.fromEntries(Object.entries(actions).map(([verb, action]) => [verb, asInvoke(action)])),
    submits: Object.fromEntries(Object.entries(actions).map(([verb, action]) => [verb, asSubmit(action)])),
    middleware: {
      async onTurn(context, next) {
        const a = context.activity;
        if (a.type === 'message' || (a.type === 'installationUpdate' && /^add/.test(a.action ?? ''))) {
          await watches.reviveConversation(baseConversationId(a.conversation.id));
        }
        await next();
      },
    },
    requestSchedule: (context, projectName, recurrence) => requestSchedule(commandDeps, context, projectName, recurrence),
    watchProject: (input) => watches.watch(input),
    start() {
      // Only the leader polls runs and sends alerts; it stops the moment it loses the lead.
      stores.leadership.start(() => watcher.start(), () => { void watcher.stop(); });
      sweeper ??= setInterval(() => background.run('expire due approvals', sweepExpired), tuning.expirySweepMs ?? 60_000);
    },
    idle: () => background.idle(),
    async close() {
      clearInterval(sweeper);
      sweeper = undefined;
      await stores.leadership.stop();
      await watcher.stop();
      await background.idle();
    },
  };
}
