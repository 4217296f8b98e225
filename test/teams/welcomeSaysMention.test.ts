import { base, message } from '../helpers/activities';
import { cardReading } from '../helpers/cardWalk';
import { SecurityRig, startSecurityRig } from '../security/securityRig';

const GROUP_CHAT = { id: '19:group-chat-sales@thread.v2', conversationType: 'groupChat', tenantId: 'tenant-contoso', isGroup: true };

/**
 * In a group chat, as in a channel, Teams hands the bot only the messages that @mention it (the app asks for no
 * resource-specific permission to read the others). The welcome and help card told only a channel so: a group chat
 * that followed it ('type "status"') got no answer at all.
 */
describe('the welcome and help card says where to @mention the bot (local mode, over loopback HTTP)', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); }, 60_000);
  afterAll(async () => { await rig.close(); });
  beforeEach(() => { rig.connector.calls.splice(0); });

  const cardOf = () => cardReading(rig.connector.calls.find((c) => c.activity.attachments?.length)!.activity.attachments![0]!.content);

  test.each([
    ['en-US', 'In a channel or group chat, mention me first, e.g. @Data Integration status.'],
    ['de-DE', 'Erwähne mich in einem Kanal oder Gruppenchat zuerst, z. B. @Data Integration status.'],
  ])('added to a group chat (%s): the welcome card says to mention it', async (locale, hint) => {
    await rig.post({ ...base(rig.serviceUrl, 'personal'), conversation: { ...GROUP_CHAT, id: `${GROUP_CHAT.id}-${locale}` }, type: 'installationUpdate', action: 'add', locale });
    expect(cardOf()).toContain(hint);
  });

  test('"help" in a group chat, as Teams sends it there (with the @mention): the card says to mention it', async () => {
    await rig.post({ ...message(rig.serviceUrl, 'help', 'channel'), conversation: GROUP_CHAT, channelData: { tenant: { id: GROUP_CHAT.tenantId } } });
    expect(cardOf()).toContain('mention me first');
  });

  test('"help" in a personal chat, where no mention is needed: no such line', async () => {
    await rig.post(message(rig.serviceUrl, 'help', 'personal'));
    expect(cardOf()).toMatch(/Commands|status/);
    expect(cardOf()).not.toContain('mention me');
  });
});
