import { ConversationState, UserState } from 'botbuilder';
import { Server } from 'restify';
import { Config } from './config';
import { Logger } from './logger';
import { createAdapter } from './bot/adapter';
import { conversationReferenceMiddleware } from './bot/conversationReferences';
import { DataIntegrationBot } from './bot/teamsBot';
import { turnLoggerMiddleware } from './bot/turnLogger';
import { SqliteConversationReferenceStore } from './notifications/conversationReferenceStore';
import { openBotDatabase } from './storage/database';
import { SqliteStorage } from './storage/sqliteStorage';
import { createServer, InFlight } from './server';

/** A running bot: its address and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Wires config -> storage -> clients -> bot -> server and starts listening. No logic lives here. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  let status: 'starting' | 'ok' | 'stopping' = 'starting';
  const db = openBotDatabase(config.DATA_DIR);
  const storage = new SqliteStorage(db);
  const refs = new SqliteConversationReferenceStore(db);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);

  const adapter = createAdapter(config, logger);
  adapter.use(turnLoggerMiddleware(logger));
  adapter.use(conversationReferenceMiddleware(refs));
  const bot = new DataIntegrationBot(refs);

  const inFlight = new InFlight();
  const server = createServer(
    {
      adapter,
      logger,
      requireAuth: config.mode === 'teams',
      health: () => ({ status, version: config.version, mode: config.mode }),
      logic: async (context) => {
        await bot.run(context);
        await conversationState.saveChanges(context);
        await userState.saveChanges(context);
      },
    },
    inFlight,
  );
  const port = await listen(server, config.PORT);
  status = 'ok';
  const url = `http://localhost:${port}`;
  logger.info({ url, mode: config.mode, dataDir: config.DATA_DIR }, 'bot listening');

  return {
    url,
    port,
    async close() {
      status = 'stopping';
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(10_000);
      db.close();
      logger.info('bot stopped');
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve((server.address() as { port: number }).port));
  });
}
