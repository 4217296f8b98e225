import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import type { WatchStore } from '../notifications/watchStore';
import { baseConversationId } from './conversationIds';
import { channelRecordOf } from './conversationReferences';
import { StateStoreUnavailable } from '../storage/stateStores';
import { turnLogger } from './turnLogger';

/** A store of watches that a conversation taking the bot back revives (project watches, dataflow watches). */
export type RevivableWatches = Pick<WatchStore, 'reviveConversation'>;

/** A store of watches that the bot leaving a team marks, and adding it back revives, channel by channel. */
export type TeamWatches = RevivableWatches & Pick<WatchStore, 'markConversationGone' | 'goneWithTeam'>;

/** The references the team middleware reads (the team's channels) and writes (those it reaches again). */
export type TeamReferences = Pick<ConversationReferenceStore, 'list' | 'get' | 'save'>;

/**
 * A store that fails is logged and the turn goes on, unless it does not answer at all: storage that does not answer
 * fails every step after this one too, and the person is told at once (adapter.ts).
 */
function logged(context: TurnContext, what: string): (err: unknown) => void {
  return (err) => {
    if (err instanceof StateStoreUnavailable) throw err;
    turnLogger(context)?.warn({ err }, what);
  };
}

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
        await Promise.all(stores.map((store) => store.reviveConversation(conversationId).catch(logged(context, 'could not watch the conversation again'))));
      }
      await next();
    },
  };
}

/** The team of a team event, and whether the bot left it or was added to it (undefined: neither, or no team). */
function teamEvent(a: Partial<Activity>): { teamId: string; bot: 'left' | 'added' } | undefined {
  const channelData = a.channelData as { team?: { id?: string }; eventType?: string } | undefined;
  const teamId = channelData?.team?.id;
  if (!teamId) return undefined;
  const isBot = (members: Activity['membersAdded'] | undefined) => !!members?.some((m) => m.id === a.recipient?.id);
  const update = a.type === 'conversationUpdate';
  const install = a.type === 'installationUpdate';
  if ((update && (isBot(a.membersRemoved) || channelData.eventType === 'teamDeleted')) || (install && /^remove/.test(a.action ?? ''))) return { teamId, bot: 'left' };
  if ((update && isBot(a.membersAdded)) || (install && /^add/.test(a.action ?? ''))) return { teamId, bot: 'added' };
  return undefined;
}

/**
 * Middleware: the bot removed from a team and added back watches again in every channel of the team that had watches,
 * not only in the conversation of the install event. On removal, before the bot forgets the team's conversation
 * references, the watches of each channel it had one of are marked gone with the team's id (the watcher skips them from
 * then on). On the add, each such channel gets a reference rebuilt from the event (its service URL, tenant and the
 * channel's id) unless it has one, and then its watches are revived, in the threads they had. Watches of other teams and
 * of chats stay as they were; a team without watches changes nothing.
 */
export function teamWatchesMiddleware(refs: TeamReferences, ...stores: TeamWatches[]): Middleware {
  return {
    async onTurn(context, next) {
      const event = teamEvent(context.activity);
      if (event?.bot === 'left') await markTeamGone(context, event.teamId, refs, stores).catch(logged(context, 'could not mark the team\'s watches gone'));
      if (event?.bot === 'added') await reviveTeam(context, event.teamId, refs, stores).catch(logged(context, 'could not watch the team\'s channels again'));
      await next();
    },
  };
}

async function markTeamGone(context: TurnContext, teamId: string, refs: TeamReferences, stores: TeamWatches[]): Promise<void> {
  const channels = new Set((await refs.list()).filter((r) => r.teamId === teamId).map((r) => r.conversationId));
  channels.add(baseConversationId(context.activity.conversation.id));
  let marked = 0;
  for (const conversationId of channels) {
    for (const store of stores) marked += await store.markConversationGone(conversationId, teamId);
  }
  turnLogger(context)?.info({ teamId, channels: channels.size, marked }, 'bot left a team: the watches of its channels marked gone');
}

async function reviveTeam(context: TurnContext, teamId: string, refs: TeamReferences, stores: TeamWatches[]): Promise<void> {
  const channels = new Set((await Promise.all(stores.map((store) => store.goneWithTeam(teamId)))).flat());
  let revived = 0;
  for (const conversationId of channels) {
    // The reference first: a poll between the two would otherwise find the watch back but no way to post, and mark it gone.
    if (!(await refs.get(conversationId))) await refs.save(channelRecordOf(context.activity, conversationId));
    for (const store of stores) revived += await store.reviveConversation(conversationId);
  }
  if (channels.size > 0) turnLogger(context)?.info({ teamId, channels: channels.size, revived }, 'bot added back to a team: the watches of its channels revived');
}
