import type { Middleware } from 'botbuilder';
import type { WatchStore } from '../notifications/watchStore';
import { baseConversationId } from './conversationIds';
import { StateStoreUnavailable } from '../storage/stateStores';
import { turnLogger } from './turnLogger';

/** A store of watches that a conversation taking the bot back revives (project watches, dataflow watches). */
export type RevivableWatches = Pick<WatchStore, 'reviveConversation'>;

/**
 * Middleware: a conversation that takes the bot back (a message in it, or the app added again) is watched
 * again, before any routing: its project and dataflow watches alike. They were marked gone when Teams said
 * the bot could no longer post there. A store that fails here is logged and the person's turn goes on, unless it
 * does not answer at all.
 */
export function reviveWatchesMiddleware(...stores: RevivableWatches[]): Middleware {
  return {
    async onTurn(context, next) {
      const a = context.activity;
      if (a.type === 'message' || (a.type === 'installationUpdate' && /^add/.test(a.action ?? ''))) {
        const conversationId = baseConversationId(a.conversation.id);
        await Promise.all(stores.map((store) => store.reviveConversation(conversationId).catch((err: unknown) => {
          // Storage that does not answer fails every step after this one too: the person is told at once (adapter.ts).
          if (err instanceof StateStoreUnavailable) throw err;
          turnLogger(context)?.warn({ err }, 'could not watch the conversation again');
        })));
      }
      await next();
    },
  };
}
