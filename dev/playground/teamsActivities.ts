import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  PLAYGROUND_BOT, PLAYGROUND_CHANNEL, PLAYGROUND_TEAM, PLAYGROUND_TENANT_ID,
  PersonKey, PlaygroundPerson, personalChatId,
} from './people';

const id = z.string().min(1).max(200);
const data = z.record(z.string(), z.unknown());

/** Where the person at the keyboard acts: which conversation, which thread of the channel, as whom. */
const where = z.object({
  conversation: z.enum(['channel', 'personal']),
  person: z.enum(['requester', 'approver']),
  /** The root post of a channel thread; absent for a new post or in a personal chat. */
  threadId: id.optional(),
  timezone: z.string().min(1).max(64).optional(),
  locale: z.string().min(2).max(35).optional(),
});

/** What the page asks for: typed text, an Action.Submit or an Action.Execute (clicked, or a card's automatic refresh). */
export const pageActionSchema = z.discriminatedUnion('kind', [
  where.extend({ kind: z.literal('message'), text: z.string().trim().min(1).max(4000) }),
  where.extend({ kind: z.literal('submit'), replyToId: id, value: data }),
  where.extend({
    kind: z.literal('execute'), replyToId: id, verb: z.string().max(200), data: data.default({}),
    actionId: id.optional(), trigger: z.enum(['manual', 'automatic']),
  }),
]);

/** A validated request of the page. */
export type PageAction = z.infer<typeof pageActionSchema>;

/** An activity shaped as Teams sends it to a bot. */
export type TeamsActivity = Record<string, unknown> & { type: string; id: string; conversation: { id: string } };

const mention = `<at>${PLAYGROUND_BOT.name}</at>`;

/** Builds the activity Teams would send for the page's action, addressed back to `serviceUrl`. */
export function teamsActivityFor(
  action: PageAction, serviceUrl: string, people: Record<PersonKey, PlaygroundPerson>,
): TeamsActivity {
  const person = people[action.person];
  const inChannel = action.conversation === 'channel';
  const activityId = randomUUID();
  const base = {
    id: activityId,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { ...PLAYGROUND_BOT },
    locale: action.locale ?? 'en-US',
    localTimezone: action.timezone,
    ...(inChannel ? channelPlace(action.threadId ?? activityId) : personalPlace(action.person)),
  };
  const clientInfo = { type: 'clientInfo', locale: base.locale, platform: 'Web', timezone: action.timezone };
  switch (action.kind) {
    case 'message':
      // In a channel Teams only delivers messages that @mention the bot, and keeps the mention in the text.
      return {
        ...base, type: 'message', textFormat: 'plain',
        text: inChannel ? `${mention} ${action.text}` : action.text,
        entities: inChannel ? [{ type: 'mention', mentioned: { ...PLAYGROUND_BOT }, text: mention }, clientInfo] : [clientInfo],
      };
    case 'submit':
      return { ...base, type: 'message', replyToId: action.replyToId, value: action.value, entities: [clientInfo] };
    case 'execute':
      return {
        ...base, type: 'invoke', name: 'adaptiveCard/action', replyToId: action.replyToId, entities: [clientInfo],
        value: {
          action: { type: 'Action.Execute', ...(action.actionId ? { id: action.actionId } : {}), verb: action.verb, data: action.data },
          trigger: action.trigger,
        },
      };
  }
}

/** A new post is its own thread: Teams sets the conversation id to the channel's plus ";messageid=" and the post's id. */
function channelPlace(threadId: string) {
  return {
    conversation: { id: `${PLAYGROUND_CHANNEL.id};messageid=${threadId}`, conversationType: 'channel', tenantId: PLAYGROUND_TENANT_ID, isGroup: true },
    channelData: { tenant: { id: PLAYGROUND_TENANT_ID }, team: { ...PLAYGROUND_TEAM }, channel: { ...PLAYGROUND_CHANNEL } },
  };
}

function personalPlace(key: PersonKey) {
  return {
    conversation: { id: personalChatId(key), conversationType: 'personal', tenantId: PLAYGROUND_TENANT_ID },
    channelData: { tenant: { id: PLAYGROUND_TENANT_ID } },
  };
}
