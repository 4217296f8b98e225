import { ADA, CHANNEL, message } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from '../security/securityRig';

/**
 * Commands as people type them in Teams: a full stop or a question mark at the end, another case. "Status." was
 * answered 'Sorry, I don't know "Status."', and "NOTIFY ALL AccSync" with "Something went wrong on my side" (the
 * level "ALL" was written to the watch as typed, and the watch's schema refused it).
 */
describe('typed commands with end punctuation or in another case (local mode, over loopback HTTP)', () => {
  let rig: SecurityRig;
  const replies = () => rig.connector.messages(CHANNEL);
  const lastText = () => replies().filter((c) => c.activity.text).at(-1)?.activity.text;
  beforeAll(async () => {
    rig = await startSecurityRig();
    await rig.app.alerts.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id } });
  }, 60_000);
  afterAll(async () => { await rig.close(); });
  beforeEach(() => { rig.connector.calls.splice(0); });

  test.each([['Status.'], ['status?'], ['Help!'], ['help?']])('"%s" is answered with its card, not "I don\'t know"', async (typed) => {
    await rig.post(message(rig.serviceUrl, typed, 'channel', ADA));
    expect(replies().map((c) => c.activity.text ?? '').join('\n')).not.toMatch(/don't know/);
    expect(replies().filter((c) => c.activity.attachments?.length)).toHaveLength(1);
  });

  test.each([
    ['NOTIFY ALL AccSync', 'all', 'every run'],
    ['Notify Failures Only accsync', 'failures', 'only runs that failed or finished with errors'],
    ['Notify MUTE AccSync', 'mute', 'no run alerts (stalled schedules are still reported)'],
    // In quotes, as "run" and "schedule" take a name (was: '"AccSync" is not watched here').
    ['notify failures "AccSync"', 'failures', 'only runs that failed or finished with errors'],
    ['mute \u201eaccsync\u201c', 'mute', 'no run alerts (stalled schedules are still reported)'],
  ])('"%s" sets the level and says so', async (typed, level, said) => {
    await rig.post(message(rig.serviceUrl, typed, 'channel', ADA));
    expect(lastText()).toBe(`From now on this conversation gets ${said} for "AccSync".`);
    expect((await rig.app.alerts.watches.get({ projectName: 'AccSync', conversationId: CHANNEL }))?.notifyLevel).toBe(level);
    expect(rig.logs()).not.toContain('unhandled error in turn');
  });

  test('a name in quotes that is not watched here is named once, in the reply\'s own quotes (was \'""Sales"" \')', async () => {
    await rig.post(message(rig.serviceUrl, 'notify failures "Sales"', 'channel', ADA));
    expect(lastText()).toBe('I am not watching "Sales" here. Projects watched here: AccSync.');
  });
});
