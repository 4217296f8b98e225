import { ADA, base, BOT, CHANNEL, installInTeam, type Person, TEAM, TENANT, uninstallFromTeam } from '../helpers/activities';
import type { Rig } from '../helpers/approvalsRig';
import { type ConnectorRig, startConnectorRig } from '../helpers/connectorRig';
import { cardText } from '../helpers/cardWalk';
import { createSandboxProject } from '../helpers/sandboxProject';
import { until } from '../helpers/tryOut';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';
import { type ConnectorCall, type LocalConnector } from '../../dev/playground/localConnector';
import { DATAFLOW_ENVIRONMENT, SANDBOX_DATAFLOWS, type Sandbox } from '../../dev/sandbox';
import { threadRootOf } from '../../src/teams/conversationIds';
import { VERBS } from '../../src/verbs';

const [ACCOUNTS] = SANDBOX_DATAFLOWS;
const PROJECT = 'AccSync';
/** A channel of the Sales team other than its General channel (CHANNEL), where the bot is installed and removed. */
const REPORTS = '19:reports-sales@thread.tacv2';
/** A channel of a team the bot stays in, and one of a team it was removed from and is not added back to. */
const OPS = { team: '19:team-ops@thread.tacv2', channel: '19:general-ops@thread.tacv2' };
const ARCHIVE = { team: '19:team-archive@thread.tacv2', channel: '19:general-archive@thread.tacv2' };

/** An activity of `activity`'s kind moved to another channel of a team. */
const inChannel = <A extends ReturnType<typeof base>>(activity: A, channel: string, team: string): A => ({
  ...activity,
  conversation: { ...activity.conversation, id: channel },
  channelData: { ...activity.channelData, tenant: { id: TENANT }, team: { id: team }, channel: { id: channel } },
});
const invoke = (serviceUrl: string, from: Person, verb: string, data: Record<string, unknown>) => ({
  ...base(serviceUrl, 'channel', from), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});
/** What Teams sends when the bot is removed from a team: the member removed, then the app uninstalled (General channel's conversation). */
const removedFromTeam = (serviceUrl: string, general: string, team: string) => [
  inChannel({ ...base(serviceUrl, 'channel'), type: 'conversationUpdate', membersRemoved: [BOT] }, general, team),
  inChannel({ ...uninstallFromTeam(serviceUrl) }, general, team),
].map((a) => ({ ...a, channelData: { ...a.channelData, eventType: 'teamMemberRemoved' } }));

const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;
/** The alerts posted in a channel so far: the thread each went to, and its text. */
const alertsIn = (connector: LocalConnector, channel: string) => connector.messages(channel)
  .filter((c) => c.kind !== 'update' && new RegExp(`${PROJECT}|${ACCOUNTS!.name} refreshed`).test(cardText(cardOf(c))))
  .map((c) => ({ thread: c.kind === 'createConversation' ? threadRootOf(c.conversationId) : c.replyToId, text: cardText(cardOf(c)) }));

// Reviewer's finding: after the bot was removed from a team and added back, only the install conversation was watched again.
describe.each([sqliteBackend(), azureBackend()])('the bot removed from a team and added back, on $name', (backend: StateBackend) => {
  let sandbox: Sandbox, connector: LocalConnector, serviceUrl: string, rig: Rig, world: ConnectorRig;
  beforeEach(async () => {
    ({ sandbox, connector, serviceUrl, rig } = world = await startConnectorRig(backend, {
      sandbox: { minuteMs: 60_000, seed: { accounts: 20 }, dataflowEverySeconds: 3600 }, halted: true, env: { RUN_POLL_SECONDS: '3600' },
    }));
    await createSandboxProject(rig.di, PROJECT);
  });
  afterEach(() => world.close());
  afterAll(() => backend.stop());

  /** A run of the project to its end, and the refresh of the dataflows, then one poll (until `seen`: on Azure the instance leads a moment after start). */
  const runAndPoll = async (seen: () => boolean) => {
    const ended = async () => (await rig.di.listExecutions(PROJECT)).every((e) => e.status !== 'queued' && e.status !== 'running');
    await rig.di.runProject(PROJECT);
    await until('the run to end', ended, 20_000);
    sandbox.dataflows.refreshNow();
    await until('the alerts', async () => { await rig.feature.watcher.pollOnce(); return seen(); }, 20_000);
  };

  /** Each channel says something (its reference saved); the project is watched in three, a dataflow in Reports; the first alerts. Answers Reports' two threads. */
  const watchedAndAlerted = async () => {
    const owner = { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id };
    for (const [channel, team] of [[CHANNEL, TEAM], [REPORTS, TEAM], [OPS.channel, OPS.team], [ARCHIVE.channel, ARCHIVE.team]] as const) {
      await rig.post(inChannel({ ...base(serviceUrl, 'channel'), type: 'message', text: 'hi' }, channel, team));
    }
    for (const channel of [REPORTS, OPS.channel, ARCHIVE.channel]) await rig.feature.watchProject({ projectName: PROJECT, conversationId: channel, owner });
    await rig.post(inChannel(invoke(serviceUrl, ADA, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: ACCOUNTS!.id, level: 'all' }), REPORTS, TEAM));
    await runAndPoll(() => alertsIn(connector, REPORTS).length >= 2 && alertsIn(connector, OPS.channel).length >= 1 && alertsIn(connector, ARCHIVE.channel).length >= 1);
    const threads = alertsIn(connector, REPORTS).map((a) => a.thread);
    expect(threads).toHaveLength(2);
    return threads;
  };

  /** The bot added back to the Sales team, one more run and refresh: Reports gets both alerts again, in the threads it had. */
  const addedBackAlertsIn = async (threads: Array<string | undefined>) => {
    const before = alertsIn(connector, REPORTS).length;
    for (const activity of installInTeam(serviceUrl)) expect((await rig.post(activity)).status).toBe(200);
    const opsAgain = alertsIn(connector, OPS.channel).length;
    const back = () => alertsIn(connector, REPORTS).slice(before);
    const both = () => back().some((a) => a.text.includes(PROJECT)) && back().some((a) => a.text.includes(`${ACCOUNTS!.name} refreshed`));
    await runAndPoll(() => alertsIn(connector, OPS.channel).length > opsAgain && both()).catch(() => undefined);
    expect(both()).toBe(true);
    expect(new Set(back().map((a) => a.thread))).toEqual(new Set(threads));
  };

  test('the run and dataflow alerts of every channel of the team come back in their threads; other teams\' channels stay as they were', async () => {
    const threads = await watchedAndAlerted();
    const archived = alertsIn(connector, ARCHIVE.channel).length;

    for (const activity of [...removedFromTeam(serviceUrl, CHANNEL, TEAM), ...removedFromTeam(serviceUrl, ARCHIVE.channel, ARCHIVE.team)]) {
      expect((await rig.post(activity)).status).toBe(200);
    }
    const opsBefore = alertsIn(connector, OPS.channel).length;
    await runAndPoll(() => alertsIn(connector, OPS.channel).length > opsBefore);
    expect(alertsIn(connector, REPORTS)).toHaveLength(2);

    // Both come back, each in the thread it had before the bot was removed: the run alert and the dataflow alert.
    await addedBackAlertsIn(threads);
    // The team the bot was not added back to stays silent.
    expect(alertsIn(connector, ARCHIVE.channel)).toHaveLength(archived);
  }, 90_000);

  test('a channel that refused an alert before Teams said the bot left (403) comes back too when the bot is added back to its team', async () => {
    const threads = await watchedAndAlerted();
    connector.injectFault({ status: 403, code: 'BotNotInConversationRoster', conversationId: REPORTS, times: 10 });
    const opsBefore = alertsIn(connector, OPS.channel).length;
    await runAndPoll(() => alertsIn(connector, OPS.channel).length > opsBefore);
    connector.clearFaults();
    expect(alertsIn(connector, REPORTS)).toHaveLength(2);
    await addedBackAlertsIn(threads);
  }, 90_000);
});
