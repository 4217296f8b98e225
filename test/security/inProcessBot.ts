import { Activity, CloudAdapter, MemoryStorage, PrivateConversationState, TestAdapter } from 'botbuilder';
import { createApprovalsAndAlerts } from '../../src/bot/approvalsAndAlerts';
import { registerProjectCommands } from '../../src/bot/projectCommands';
import { projectWatchHandOver } from '../../src/bot/setupHandOver';
import { registerSetup } from '../../src/bot/setupHandlers';
import { SetupRunner } from '../../src/bot/setupRunner';
import { registerSignIn } from '../../src/bot/signInCommands';
import { DataIntegrationBot } from '../../src/bot/teamsBot';
import { turnLoggerMiddleware } from '../../src/bot/turnLogger';
import { GuidedSetupDialog } from '../../src/dialogs/guidedSetupDialog';
import type { DataIntegration } from '../../src/integration/port';
import { createLogger } from '../../src/logger';
import { SqliteConversationReferenceStore } from '../../src/notifications/conversationReferenceStore';
import { openBotDatabase } from '../../src/storage/database';
import { ADA } from '../helpers/activities';
import { tempDataDir } from '../helpers/harness';

/** The bot's handlers on a TestAdapter: what app.ts wires, minus HTTP, so thousands of turns run in seconds. */
export interface InProcessBot {
  /** Everything the bot sent in answer to one activity (invoke responses included). */
  turn(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** Errors that reached the adapter's onTurnError: a fuzz case must leave this empty. */
  errors: unknown[];
  close(): Promise<void>;
}

/** Builds the bot in local mode (no sign-in) over `di`; proactive sends go nowhere. */
export function inProcessBot(di: DataIntegration): InProcessBot {
  const db = openBotDatabase(tempDataDir());
  const refs = new SqliteConversationReferenceStore(db);
  const privateState = new PrivateConversationState(new MemoryStorage());
  const errors: unknown[] = [];
  const bot = new DataIntegrationBot(refs);
  const adapter = new TestAdapter(async (context) => {
    await bot.run(context);
    await privateState.saveChanges(context);
  }, { channelId: 'msteams', from: { id: ADA.id, name: ADA.name, aadObjectId: ADA.aadObjectId }, conversation: { id: 'a:fuzz', conversationType: 'personal' } as Activity['conversation'] });
  adapter.onTurnError = async (context, error) => {
    errors.push(error);
    await context.sendActivity('Something went wrong on my side');
  };
  const logger = createLogger('silent');
  adapter.use(turnLoggerMiddleware(logger));
  const source = async () => di;
  const features = createApprovalsAndAlerts({
    db, refs, adapter: adapter as unknown as CloudAdapter, appId: '', source, logger,
    settings: { approvers: ['00000000-0000-0000-0000-00000000b0b0'], allowSelfApproval: false, approvalTtlHours: 72, pollSeconds: 3600 },
    tuning: { transport: { send: async () => ({ id: 'sent' }), update: async () => undefined, startThread: async () => ({ threadId: 'thread' }) } },
  });
  bot.onTextCommand('schedule', features.commands.schedule).onTextCommand('history', features.commands.history).onTextCommand('notify', features.commands.notify);
  for (const [verb, handler] of Object.entries(features.submits)) bot.onCardVerb(verb, handler);
  for (const [verb, handler] of Object.entries(features.invokes)) bot.onCardAction(verb, handler);
  const runner = new SetupRunner(privateState, new GuidedSetupDialog({ dataIntegration: source, startRun: async () => undefined, ...projectWatchHandOver(features) }));
  registerSetup(bot, runner);
  registerSignIn(bot, runner, adapter as unknown as CloudAdapter);
  registerProjectCommands(bot, source);

  return {
    errors,
    async turn(activity) {
      adapter.activeQueue.splice(0);
      await adapter.receiveActivity(activity);
      return adapter.activeQueue.splice(0);
    },
    async close() {
      await features.close();
      db.close();
    },
  };
}
