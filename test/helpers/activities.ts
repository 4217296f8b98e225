import { randomUUID } from 'node:crypto';

/** A person in the test tenant. */
export interface Person { id: string; name: string; aadObjectId: string }

export const BOT = { id: '28:bot-app-id', name: 'Data Integration' };
/** The test tenant's id: the MicrosoftAppTenantId of the Teams-mode tests, whose bot answers only its own tenant. */
export const TENANT = '99999999-8888-7777-6666-555555555555';
export const TEAM = '19:team-sales@thread.tacv2';
export const CHANNEL = '19:general-sales@thread.tacv2';
export const ADA: Person = { id: '29:ada', name: 'Ada Admin', aadObjectId: '00000000-0000-0000-0000-00000000a0a0' };
export const BOB: Person = { id: '29:bob', name: 'Bob Approver', aadObjectId: '00000000-0000-0000-0000-00000000b0b0' };

type Where = 'channel' | 'personal';

function conversation(where: Where, person: Person) {
  return where === 'channel'
    ? { id: CHANNEL, conversationType: 'channel', tenantId: TENANT, isGroup: true }
    : { id: `a:personal-${person.id}`, conversationType: 'personal', tenantId: TENANT };
}

function channelData(where: Where) {
  return where === 'channel'
    ? { tenant: { id: TENANT }, team: { id: TEAM, name: 'Sales' }, channel: { id: CHANNEL, name: 'General' } }
    : { tenant: { id: TENANT } };
}

/** The fields every activity from Teams carries. */
export function base(serviceUrl: string, where: Where, from: Person = ADA) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: conversation(where, from),
    channelData: channelData(where),
    locale: 'en-US',
  };
}

/** A message typed by a person; in a channel it starts with the bot's @mention, as Teams sends it. */
export function message(serviceUrl: string, text: string, where: Where = 'channel', from: Person = ADA) {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, where, from),
    type: 'message',
    text: where === 'channel' ? `${mention} ${text}` : text,
    entities: where === 'channel' ? [{ type: 'mention', mentioned: BOT, text: mention }] : [],
  };
}

/** A card's Action.Submit, as Teams sends it: a message whose value is the action's data plus the inputs. */
export function submit(serviceUrl: string, value: Record<string, unknown>, where: Where = 'channel', from: Person = ADA) {
  return { ...base(serviceUrl, where, from), type: 'message', value };
}

/** A card's Action.Execute in a channel, as Teams sends it: an adaptiveCard/action invoke on the card's message. */
export function execute(serviceUrl: string, from: Person, verb: string, data: Record<string, unknown>, replyToId: string) {
  return {
    ...base(serviceUrl, 'channel', from), type: 'invoke', name: 'adaptiveCard/action', replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** What Teams sends when the bot is added to a team: a conversationUpdate and an installationUpdate. */
export function installInTeam(serviceUrl: string) {
  return [
    { ...base(serviceUrl, 'channel'), type: 'conversationUpdate', membersAdded: [BOT], channelData: { ...channelData('channel'), eventType: 'teamMemberAdded' } },
    { ...base(serviceUrl, 'channel'), type: 'installationUpdate', action: 'add' },
  ];
}

/** What Teams sends when the bot is removed from a team. */
export function uninstallFromTeam(serviceUrl: string) {
  return { ...base(serviceUrl, 'channel'), type: 'installationUpdate', action: 'remove' };
}

/** What Teams sends when a team is deleted. */
export function teamDeleted(serviceUrl: string) {
  return { ...base(serviceUrl, 'channel'), type: 'conversationUpdate', channelData: { ...channelData('channel'), eventType: 'teamDeleted' } };
}
