import { Activity, CloudAdapter, MemoryStorage, PrivateConversationState, TestAdapter, TurnContext, UserState } from 'botbuilder';
import { botWithFeatures } from '../../src/app';
import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import { ApprovalService } from '../../src/scheduleApprovals/approvalService';
import type { DataIntegration } from '../../src/integration/port';
import { createLogger } from '../../src/logger';
import { ProactiveSender } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { BackgroundWork } from '../../src/features/backgroundWork';
import { turnLoggerMiddleware } from '../../src/teams/turnLogger';
import { ADA } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';

/** The bot's handlers on a TestAdapter: what app.ts wires (botWithFeatures), minus HTTP, so thousands of turns run in seconds. */
export interface InProcessBot {
  /** Everything the bot sent in answer to one activity (invoke responses included). */
  turn(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** Errors that reached the adapter's onTurnError: a fuzz case must leave this empty. */
  errors: unknown[];
  /** The watches the bot keeps (a run it started is pending on its project's watch until the watcher reports it). */
  watches: WatchStore;
  close(): Promise<void>;
}

/** Builds the bot in local mode (no sign-in) over `di`; proactive sends go nowhere. */
export function inProcessBot(di: DataIntegration): InProcessBot {
  const stores = openSqliteStateStores(tempDataDir());
  const privateState = new PrivateConversationState(new MemoryStorage());
  const errors: unknown[] = [];
  let run: (context: TurnContext) => Promise<void> = async () => undefined;
  const adapter = new TestAdapter(async (context) => run(context), { channelId: 'msteams' });
  // Defaults, not a template: an activity that names its sender or conversation keeps them.
  adapter.conversation.user = { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId } as Activity['from'];
  adapter.conversation.conversation = { id: 'a:fuzz', conversationType: 'personal' } as Activity['conversation'];
  adapter.onTurnError = async (context, error) => {
    errors.push(error);
    await context.sendActivity('Something went wrong on my side');
  };
  const logger = createLogger('silent');
  adapter.use(turnLoggerMiddleware(logger));
  const source = async () => di;
  const watches = new WatchStore(stores.watches);
  const sender = new ProactiveSender({ refs: stores.refs, transport: { send: async () => ({ id: 'sent' }), update: async () => undefined, startThread: async () => ({ threadId: 'thread' }) } });
  const background = new BackgroundWork(logger);
  const { bot } = botWithFeatures({
    adapter: adapter as unknown as CloudAdapter, refs: stores.refs, watches, dataflowWatches: new DataflowWatchStore(stores.dataflowWatches), sender, source, background, privateState, userState: new UserState(new MemoryStorage()), logger,
    watcher: new RunWatcher({ watches, sender, present: alertPresenter(), integrationFor: async () => di }, { pollMs: 3_600_000 }),
    approvalService: new ApprovalService({ store: stores.approvals, ttlHours: 72, policy: { approvers: ['00000000-0000-0000-0000-00000000b0b0'], allowSelfApproval: false } }),
    integrationFor: async () => di,
    expirySweepMs: 3_600_000,
    runClaims: stores.flowLocks,
  });
  run = async (context) => {
    await bot.run(context);
    await privateState.saveChanges(context);
  };

  return {
    errors,
    watches,
    async turn(activity) {
      adapter.activeQueue.splice(0);
      await adapter.receiveActivity(activity);
      return adapter.activeQueue.splice(0);
    },
    async close() {
      await background.idle();
      await stores.close();
    },
  };
}
