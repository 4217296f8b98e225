import { Middleware, TurnContext } from 'botbuilder';
import { Logger } from '../logger';
import { verifiedPerson } from '../person';

const LOGGER_KEY = Symbol('turnLogger');
const STARTED_KEY = Symbol('turnStarted');

/** The logger of the current turn: every line carries the conversation and activity ids. */
export function turnLogger(context: TurnContext): Logger | undefined {
  return context.turnState.get(LOGGER_KEY) as Logger | undefined;
}

/** When the turn's activity arrived (ms since the epoch), before any middleware or lock: what Teams counts from. */
export function turnStartedAt(context: TurnContext): number | undefined {
  return context.turnState.get(STARTED_KEY) as number | undefined;
}

/** Middleware that gives each turn a child logger with its ids and logs the turn's start and end. */
export function turnLoggerMiddleware(root: Logger): Middleware {
  return {
    async onTurn(context, next) {
      const a = context.activity;
      const log = root.child({
        conversationId: a.conversation?.id,
        activityId: a.id,
        activityType: a.type,
        channelId: a.channelId,
        userAadId: verifiedPerson(a)?.aadObjectId,
      });
      const started = Date.now();
      context.turnState.set(LOGGER_KEY, log);
      context.turnState.set(STARTED_KEY, started);
      log.debug({ name: a.name }, 'turn started');
      await next();
      // The bot's own proactive turns (alerts, a person's client for the watcher) come every poll: not info-level news.
      const proactive = a.type === 'event' && (a.name === 'ContinueConversation' || a.name === 'CreateConversation');
      log[proactive ? 'debug' : 'info']({ durationMs: Date.now() - started, name: a.name }, 'turn handled');
    },
  };
}
