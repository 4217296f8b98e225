import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';
import { ADA, BOB, CHANNEL, execute, message, Person, submit, TENANT } from '../helpers/activities';
import { cardText } from '../helpers/cardWalk';
import { createSandboxProject } from '../helpers/sandboxProject';
import { startTeamsModeRig, TeamsModeRig } from './teamsModeRig';

const PROJECT = 'Secret payroll sync';
/** Another channel of the tenant (its members are not the finance channel's). */
const OTHER_CHANNEL = '19:general-other@thread.tacv2';
const EVE: Person = { id: '29:eve', name: 'Eve Elsewhere', aadObjectId: '00000000-0000-0000-0000-00000000e0e0' };
const DAVE: Person = { id: '29:dave', name: 'Dave Finance', aadObjectId: '00000000-0000-0000-0000-00000000d0d0' };
const CARL: Person = { id: '29:carl', name: 'Carl Other', aadObjectId: '00000000-0000-0000-0000-00000000c0c0' };

/**
 * Teams mode: "history PROJECT" read the approval store first and answered anyone in the tenant with any project's whole
 * trail (who asked, who decided, the approver's comment), even in a personal chat, not signed in, for a project they
 * cannot read. A trail is shown only to whom it was already visible: where it was asked, to those who asked or decided,
 * and to those whose own sign-in lists the project.
 */
describe('Teams mode: "history PROJECT" shows a trail only to whom it was visible', () => {
  let rig: TeamsModeRig;
  let connector: TeamsModeRig['connector'];
  const post = (activity: object) => rig.post(activity);
  const signIn = (who: Person) => rig.tokens.state.tokens.set(`${who.id}|DataIntegration`, `user-token-of-${who.id}`);
  const signOut = (who: Person) => rig.tokens.state.tokens.delete(`${who.id}|DataIntegration`);
  const inChannel = (conversationId: string, text: string, from: Person) => {
    const m = message(connector.serviceUrl, text, 'channel', from);
    const channel = conversationId.split(';')[0];
    return { ...m, conversation: { ...m.conversation, id: conversationId }, channelData: { ...m.channelData, channel: { id: channel, name: 'Other' } } };
  };
  /** What the bot sent in answer to an activity: each message's text, or its card's. */
  async function answer(activity: object): Promise<string> {
    const before = connector.connector.calls.length;
    expect((await post(activity)).status).toBe(200);
    await rig.app.alerts.idle();
    return connector.connector.calls.slice(before).map((c) => c.activity.text ?? cardText(c.activity.attachments?.[0]?.content)).join('\n');
  }
  const history = (who: Person, where: 'channel' | 'personal' = 'personal', name = PROJECT) => answer(message(connector.serviceUrl, `history ${name}`, where, who));
  const serviceDown = () => rig.sandbox.faults.inject({ route: /./, status: 503 });

  beforeAll(async () => {
    rig = await startTeamsModeRig(TENANT, { SCHEDULE_APPROVERS: BOB.aadObjectId, HTTP_MAX_RETRIES: '0' });
    ({ connector } = rig);
    connector.connector.addMembers({ id: BOB.id, name: BOB.name, aadObjectId: BOB.aadObjectId });
    await createSandboxProject(createDataIntegration({ baseUrls: rig.sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 1 }), PROJECT);

    // Ada asks in the finance channel, Bob approves there with a comment.
    signIn(ADA);
    expect(await answer(message(connector.serviceUrl, `schedule ${PROJECT} every 1 hour`, 'channel', ADA))).toContain('Schedule approval needed');
    const call = connector.connector.messages(CHANNEL).find((c) => cardText(c.activity.attachments?.[0]?.content).includes('Schedule approval needed'))!;
    const requestId = (call.activity.attachments![0].content as { refresh: { action: { data: { requestId: string } } } }).refresh.action.data.requestId;
    expect((await post(execute(connector.serviceUrl, BOB, VERBS.approveSchedule, { requestId, comment: 'payroll ok' }, call.activityId!))).status).toBe(200);
    await rig.app.alerts.idle();
    signOut(ADA);
  }, 60_000);
  afterEach(() => { rig.sandbox.faults.clear(); });
  afterAll(async () => { await rig.close(); });

  test('another person, not signed in, in a personal chat: nothing of the trail, and the same answer as for a project nobody asked about', async () => {
    const secret = await history(EVE);
    expect(secret).not.toMatch(/Ada Admin|Bob Approver|payroll ok|asked for a schedule|approved/);
    expect(secret).toMatch(/sign in/i);
    const unknown = await history(EVE, 'personal', 'Nothing here at all');
    expect(secret.replace(PROJECT, 'X')).toBe(unknown.replace('Nothing here at all', 'X'));
  });

  test('another person, signed in but the service down, in a personal chat: nothing of the trail', async () => {
    signIn(EVE);
    serviceDown();
    try {
      const secret = await history(EVE);
      expect(secret).not.toMatch(/Ada Admin|Bob Approver|payroll ok/);
      expect(secret).toMatch(/try again later/i);
    } finally {
      signOut(EVE);
    }
  });

  test('anyone in the channel it was asked in sees it, with the service down and not signed in', async () => {
    serviceDown();
    const seen = await history(DAVE, 'channel');
    expect(seen).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
    expect(seen).not.toMatch(/not shown/i);
    // A reply in another thread of the channel: the same channel, whose members see every thread.
    const inThread = await answer(inChannel(`${CHANNEL};messageid=1700000000000`, `history ${PROJECT}`, DAVE));
    expect(inThread).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
  });

  test('the requester and the approver see it in their personal chats, with the service down', async () => {
    serviceDown();
    expect(await history(ADA)).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
    expect(await history(BOB)).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
  });

  test('a signed-in person whose own list has the project sees all of it, anywhere', async () => {
    signIn(EVE);
    try {
      expect(await history(EVE)).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
    } finally {
      signOut(EVE);
    }
  });

  test('entries asked elsewhere are left out where the asker cannot be checked, and the answer says so without naming them', async () => {
    signIn(CARL);
    expect(await answer(inChannel(OTHER_CHANNEL, `schedule ${PROJECT} every 2 hours`, CARL))).toContain('Schedule approval needed');
    signOut(CARL);
    const seen = await history(DAVE, 'channel');
    expect(seen).toMatch(/Bob Approver\*\* approved — “payroll ok”/);
    expect(seen).not.toMatch(/Carl Other|every 2 hours/);
    expect(seen).toMatch(/Some entries are not shown[\s\S]*sign in/i);
    // In the other channel, only its own request.
    const there = await answer(inChannel(OTHER_CHANNEL, `history ${PROJECT}`, EVE));
    expect(there).toMatch(/Carl Other\*\* asked for a schedule: every 2 hours/);
    expect(there).not.toMatch(/Ada Admin|Bob Approver|payroll ok/);
  });

  test('a trail busy elsewhere since: the channel still sees what was asked there past 20 newer entries, and is told the rest is hidden', async () => {
    signIn(EVE);
    try {
      for (let i = 0; i < 10; i++) {
        for (const verb of [VERBS.pauseSchedule, VERBS.resumeSchedule]) {
          expect((await post(submit(connector.serviceUrl, { verb, projectName: PROJECT }, 'personal', EVE))).status).toBe(200);
        }
      }
    } finally {
      signOut(EVE);
    }
    const seen = await history(DAVE, 'channel');
    expect(seen).toMatch(/Bob Approver\*\* approved — “payroll ok”[\s\S]*Ada Admin\*\* asked for a schedule/);
    expect(seen).not.toMatch(/Eve Elsewhere|Carl Other|paused|resumed/);
    expect(seen).toMatch(/Some entries are not shown[\s\S]*sign in/i);
  });
});
