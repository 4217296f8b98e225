import { base, message, CHANNEL } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from '../security/securityRig';

describe('activities of odd shapes are answered, never fail inside the turn (over loopback HTTP, local mode)', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); }, 60_000);
  afterAll(async () => { await rig.close(); });

  const cases: Array<[string, () => object]> = [
    ['message with value null', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'message', value: null })],
    ['message with value a string', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'message', value: 'hello' })],
    ['message with value an array', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'message', value: [1, 2] })],
    ['message with no text and no value (a file only)', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'https://x.invalid/a.png' }] })],
    ['message without recipient', () => { const m: Record<string, unknown> = { ...message(rig.serviceUrl, 'help', 'channel') }; delete m.recipient; return m; }],
    ['message with entities null', () => ({ ...message(rig.serviceUrl, 'help', 'personal'), entities: null })],
    ['message with a mention entity without mentioned', () => ({ ...message(rig.serviceUrl, 'help', 'personal'), entities: [{ type: 'mention', text: '<at>X</at>' }] })],
    ['message with text a number', () => ({ ...message(rig.serviceUrl, 'help', 'personal'), text: 42 })],
    ['message in a channel thread', () => ({ ...message(rig.serviceUrl, 'help', 'channel'), conversation: { id: `${CHANNEL};messageid=1700000000000`, conversationType: 'channel', isGroup: true } })],
    ['conversationUpdate without membersAdded', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'conversationUpdate' })],
    ['conversationUpdate renaming a channel', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'conversationUpdate', channelData: { eventType: 'channelRenamed', channel: { id: CHANNEL, name: 'x' }, team: { id: '19:t' } } })],
    ['conversationUpdate membersRemoved bot, no team', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'conversationUpdate', membersRemoved: [{ id: '28:bot-app-id' }], channelData: {} })],
    ['installationUpdate without action', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'installationUpdate' })],
    ['installationUpdate add-upgrade', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'installationUpdate', action: 'add-upgrade' })],
    ['messageReaction', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'messageReaction', reactionsAdded: [{ type: 'like' }], replyToId: '1' })],
    ['messageReaction without reactions', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'messageReaction' })],
    ['messageUpdate', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'messageUpdate', channelData: { eventType: 'editMessage' }, text: 'x' })],
    ['messageDelete', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'messageDelete', channelData: { eventType: 'softDeleteMessage' } })],
    ['event', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'event', name: 'application/vnd.microsoft.meetingStart', value: {} })],
    ['event ContinueConversation from outside', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'event', name: 'ContinueConversation' })],
    ['typing', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'typing' })],
    ['invoke without name', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', value: { x: 1 } })],
    ['invoke signin/verifyState without value', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'signin/verifyState' })],
    ['invoke signin/tokenExchange without value', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'signin/tokenExchange' })],
    ['invoke signin/failure', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'signin/failure', value: { code: 'resourcematchfailed', message: 'x' } })],
    ['invoke adaptiveCard/action setup verb, data a string', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'setup', data: 'x' } } })],
    ['invoke adaptiveCard/action verb a number', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 7 } } })],
    ['invoke adaptiveCard/action runAgain without replyToId', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'runAgain', data: {} } } })],
    ['invoke actionableMessage/executeAction', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'actionableMessage/executeAction', value: {} })],
    ['invoke config/fetch', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'config/fetch', value: {} })],
    ['invoke tab/fetch', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'tab/fetch', value: {} })],
    ['invoke composeExtension/submitAction', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'composeExtension/submitAction', value: {} })],
    ['invoke fileConsent/invoke', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'fileConsent/invoke', value: { action: 'accept' } })],
    ['invoke handoff/action', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'handoff/action', value: {} })],
    ['invoke application/search', () => ({ ...base(rig.serviceUrl, 'personal'), type: 'invoke', name: 'application/search', value: {} })],
    ['submit with command verb and mention-free text', () => ({ ...base(rig.serviceUrl, 'channel'), type: 'message', value: { verb: 'command', command: 'help' } })],
  ];

  test.each(cases)('%s: no unhandled error in the turn', async (_name, make) => {
    const before = rig.logs().length;
    const res = await rig.post(make());
    expect(rig.logs().slice(before)).not.toContain('unhandled error in turn');
    // 501 with a body is the bot's designed answer to invokes it offers nothing for (invokeFallback.ts)
    expect(res.status === 501 ? JSON.parse(res.body).code : res.status).not.toBe(500);
  });

  test.each<[string, (m: Record<string, unknown>) => object]>([
    ['without recipient', ({ recipient: _, ...m }) => m],
    ['with entities null', (m) => ({ ...m, entities: null })],
    ['with a mention that names nobody', (m) => ({ ...m, entities: [{ type: 'mention', text: '<at>X</at>' }, null, { text: 'no type' }] })],
  ])('"help" in a message %s is still answered with the help card', async (_name, change) => {
    rig.connector.calls.splice(0);
    const res = await rig.post(change({ ...message(rig.serviceUrl, '<at>Data Integration</at> help', 'channel') }));
    expect(res.status).toBe(200);
    expect(rig.connector.messages().some((c) => JSON.stringify(c.activity.attachments ?? []).includes('AdaptiveCard'))).toBe(true);
  });
});
