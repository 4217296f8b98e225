import type { Middleware } from 'botbuilder';
import type { WatchStore } from '../notifications/watchStore';
import { baseConversationId } from './conversationIds';
import { StateStoreUnavailable } from '../storage/stateStores';
import { turnLogger } from './turnLogger';

/**
 * Middleware: a conversation that takes the bot back (a message in it, or the app added again) is watched
 * again, before any routing. Its watches were marked gone when Teams said the bot could no longer post
 * there. A store that fails here is logged and the person's turn goes on, unless it does not answer at all.
 */
export function reviveWatchesMiddleware(watches: Pick<WatchStore, 'reviveConversation'>): Middleware {
  return {
    async onTurn(context, next) {
      const a = context.activity;
      if (a.type === 'message' || (a.type === 'installationUpdate' && /^add/.test(a.action ?? ''))) {
        await watches.reviveConversation(baseConversationId(a.conversation.id)).catch((err: unknown) => {
          // Storage that does not answer fails every step after this one too: the person is told at once (adapter.ts).
          if (err instanceof StateStoreUnavailable) throw err;
          turnLogger(context)?.warn({ err }, 'could not watch the conversation again');
        });
      }
      await next();
    },
  };
}
