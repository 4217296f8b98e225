import { pageActionSchema, teamsActivityFor } from '../../dev/playground/teamsActivities';
import { DEMO_APPROVER_AAD_OBJECT_ID, PLAYGROUND_BOT, PLAYGROUND_CHANNEL, playgroundPeople } from '../../dev/playground/people';

const SERVICE_URL = 'http://localhost:3978/_connector/';
const people = playgroundPeople({ SCHEDULE_APPROVERS: [] });
const build = (action: unknown) => teamsActivityFor(pageActionSchema.parse(action), SERVICE_URL, people);

describe('the activities the playground sends, shaped as Teams sends them', () => {
  test('a new channel post mentions the bot and is its own thread', () => {
    const a = build({ kind: 'message', conversation: 'channel', person: 'requester', text: 'help', timezone: 'Europe/Paris' });
    expect(a).toMatchObject({
      type: 'message', channelId: 'msteams', serviceUrl: SERVICE_URL, text: '<at>Data Integration</at> help',
      recipient: PLAYGROUND_BOT, localTimezone: 'Europe/Paris',
      conversation: { id: `${PLAYGROUND_CHANNEL.id};messageid=${a.id}`, conversationType: 'channel', isGroup: true },
      channelData: { team: { id: '19:playground-team@thread.tacv2' }, channel: PLAYGROUND_CHANNEL },
      entities: [{ type: 'mention', mentioned: PLAYGROUND_BOT, text: '<at>Data Integration</at>' }, { type: 'clientInfo', timezone: 'Europe/Paris' }],
    });
  });

  test('a reply in a thread stays in that thread; a personal chat message has no mention', () => {
    expect(build({ kind: 'message', conversation: 'channel', person: 'requester', threadId: 'root', text: 'cancel' }).conversation.id)
      .toBe(`${PLAYGROUND_CHANNEL.id};messageid=root`);
    const personal = build({ kind: 'message', conversation: 'personal', person: 'approver', text: 'help' });
    expect(personal).toMatchObject({ text: 'help', conversation: { id: 'a:playground-chat-approver', conversationType: 'personal' } });
    expect(personal.from).toEqual({ id: '29:playground-bob', name: 'Bob Approver', aadObjectId: DEMO_APPROVER_AAD_OBJECT_ID });
  });

  test('an Action.Submit is a message with the data as value, replying to the card', () => {
    const a = build({ kind: 'submit', conversation: 'channel', person: 'requester', threadId: 'root', replyToId: 'card', value: { verb: 'command', command: 'status', note: 'typed' } });
    expect(a).toMatchObject({ type: 'message', replyToId: 'card', value: { verb: 'command', command: 'status', note: 'typed' } });
    expect(a.text).toBeUndefined();
  });

  test('an Action.Execute and a refresh are adaptiveCard/action invokes with the trigger', () => {
    const a = build({ kind: 'execute', conversation: 'personal', person: 'approver', replyToId: 'card', verb: 'approve', data: { id: 7 }, actionId: 'ok', trigger: 'automatic' });
    expect(a).toMatchObject({
      type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card',
      value: { action: { type: 'Action.Execute', id: 'ok', verb: 'approve', data: { id: 7 } }, trigger: 'automatic' },
    });
  });

  test('the approver is the first of SCHEDULE_APPROVERS when it is set', () => {
    expect(playgroundPeople({ SCHEDULE_APPROVERS: ['first', 'second'] }).approver.aadObjectId).toBe('first');
  });

  test.each([
    [{ kind: 'message', conversation: 'channel', person: 'requester', text: '   ' }],
    [{ kind: 'message', conversation: 'channel', person: 'stranger', text: 'help' }],
    [{ kind: 'submit', conversation: 'channel', person: 'requester', value: {} }],
    [{ kind: 'execute', conversation: 'channel', person: 'requester', replyToId: 'c', verb: 'v', trigger: 'sometimes' }],
    [{ kind: 'delete', conversation: 'channel', person: 'requester' }],
  ])('refuses %j', (action) => {
    expect(pageActionSchema.safeParse(action).success).toBe(false);
  });
});
