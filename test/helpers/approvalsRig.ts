import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import { createAdapter } from '../../src/bot/adapter';
import { ApprovalsAndAlerts, createApprovalsAndAlerts } from '../../src/bot/approvalsAndAlerts';
import { conversationReferenceMiddleware } from '../../src/bot/conversationReferences';
import { dataIntegrationSource } from '../../src/bot/dataIntegrationSource';
import { DataIntegrationBot } from '../../src/bot/teamsBot';
import { loadConfig } from '../../src/config';
import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { createLogger } from '../../src/logger';
import { SqliteConversationReferenceStore } from '../../src/notifications/conversationReferenceStore';
import { Sandbox } from '../../src/sandbox';
import { createServer, InFlight } from '../../src/server';
import { openBotDatabase } from '../../src/storage/database';

/** The approval and alert wiring app.ts needs, done here until it lands there. */
class WiredBot extends DataIntegrationBot {
  constructor(refs: SqliteConversationReferenceStore, private readonly feature: ApprovalsAndAlerts) {
    super(refs);
    this.onTextCommand('schedule', feature.commands.schedule).onTextCommand('history', feature.commands.history).onTextCommand('notify', feature.commands.notify);
    for (const [verb, handler] of Object.entries(feature.submits)) this.onCardVerb(verb, handler);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const handler = this.feature.invokes[value.action.verb];
    if (handler) return handler(context, value);
    return super.onAdaptiveCardInvoke(context, value);
  }
}

/** The bot with approvals and alerts over real HTTP, against a running sandbox and local connector. */
export interface Rig {
  url: string;
  feature: ApprovalsAndAlerts;
  di: DataIntegration;
  post(activity: object): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the rig on `dataDir` (reuse it to "restart" the bot). `now` shifts the approvals' clock. */
export async function startRig(options: { dataDir: string; sandbox: Sandbox; env?: Record<string, string>; now?: () => Date; minuteMs: number }): Promise<Rig> {
  const config = loadConfig({ PORT: '0', DATA_DIR: options.dataDir, LOG_LEVEL: 'silent', START_SANDBOX: 'false', ...options.env }, 'test');
  const logger = createLogger(config.LOG_LEVEL);
  const db = openBotDatabase(config.DATA_DIR);
  const refs = new SqliteConversationReferenceStore(db);
  const adapter = createAdapter(config, logger);
  const source = dataIntegrationSource(config, options.sandbox.baseUrls, logger, adapter);
  const feature = createApprovalsAndAlerts({
    db, refs, adapter, appId: '', source, logger,
    settings: { approvers: config.SCHEDULE_APPROVERS, allowSelfApproval: config.ALLOW_SELF_APPROVAL, approvalTtlHours: config.APPROVAL_TTL_HOURS, pollSeconds: config.RUN_POLL_SECONDS },
    tuning: { minuteMs: options.minuteMs, now: options.now, retry: { initialDelayMs: 10, maxDelayMs: 50 } },
  });
  adapter.use(conversationReferenceMiddleware(refs));
  adapter.use(feature.middleware);
  const bot = new WiredBot(refs, feature);
  const inFlight = new InFlight();
  const server: Server = createServer({ adapter, logger, requireAuth: false, health: () => ({ status: 'ok', version: 'test', mode: 'local' }), logic: (ctx) => bot.run(ctx) }, inFlight);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url, feature,
    di: createDataIntegration({ baseUrls: options.sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 }),
    async post(activity) {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(5000);
      await feature.close();
      db.close();
    },
  };
}
