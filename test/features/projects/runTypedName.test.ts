import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import { ADA, CHANNEL, message } from '../../helpers/activities';
import { createSandboxProject } from '../../helpers/sandboxProject';
import { SecurityRig, startSecurityRig } from '../../security/securityRig';

/**
 * "run NAME" as people type it: the service finds a project whatever the case of its name, so the bot must watch it
 * under the name the service gives, once per conversation. A second watch under "ACCSYNC" told every run of AccSync
 * twice in the channel (the card of the run, and an alert of the "AccSync" watch that no start had claimed), and a name
 * the service does not know was watched all the same: three polls later the channel read "I cannot read the runs of
 * Nope right now … the project keeps running on its schedule", and the bot kept looking for it.
 */
describe('"run NAME" typed in another case, or naming no project (local mode, over loopback HTTP)', () => {
  let rig: SecurityRig;
  const watched = async () => (await rig.app.alerts.watches.inConversation(CHANNEL)).map((w) => w.projectName);
  const lastText = () => rig.connector.messages(CHANNEL).filter((c) => c.activity.text).at(-1)?.activity.text;
  const runCards = () => rig.connector.messages(CHANNEL).filter((c) => c.activity.attachments?.length).length;

  beforeAll(async () => {
    rig = await startSecurityRig();
    await createSandboxProject(createDataIntegration({ baseUrls: rig.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 1 }), 'AccSync');
    // As the setup that created it left it: watched in the channel, for Ada.
    await rig.app.alerts.watchProject({ projectName: 'AccSync', conversationId: CHANNEL, owner: { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id } });
  }, 60_000);
  afterAll(async () => { await rig.close(); });

  test('"RUN ACCSYNC" runs AccSync on its watch: no second watch to tell its runs again', async () => {
    await rig.post(message(rig.serviceUrl, 'RUN ACCSYNC', 'channel', ADA));
    expect(runCards()).toBe(1);
    expect(await watched()).toEqual(['AccSync']);
    const watch = await rig.app.alerts.watches.get({ projectName: 'AccSync', conversationId: CHANNEL });
    expect(watch?.pendingRuns).toHaveLength(1); // the run's card gets its result; the lead holds back the thread alert
  });

  test('"run Nope" says there is no such project and watches nothing', async () => {
    const before = await watched();
    await rig.post(message(rig.serviceUrl, 'run Nope', 'channel', ADA));
    expect(lastText()).toBe('I could not find a project named "Nope". Type "status" to see the projects.');
    expect(await watched()).toEqual(before);
  });
});
