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
    expect(await watched()).toEqual(['AccSync']); // its run is claimed on that watch: its card gets the result, the thread no alert
  });

  test.each([['run "AccSync"'], ['run \u201eaccsync\u201c'], ['run \u201cAccSync\u201d']])('%s (the name in quotes) is AccSync', async (typed) => {
    const before = rig.connector.messages(CHANNEL).length;
    await rig.post(message(rig.serviceUrl, typed, 'channel', ADA));
    // Its run is still going (the usual answer), or ended meanwhile and another one started: either way AccSync's.
    const answer = JSON.stringify(rig.connector.messages(CHANNEL).slice(before).map((c) => c.activity.text ?? c.activity.attachments));
    expect(answer).toMatch(/A run of \\"AccSync\\" started from here is still going|AccSync is running/);
    expect(await watched()).toEqual(['AccSync']);
  });

  test('"run Nope" says there is no such project and watches nothing', async () => {
    const before = await watched();
    await rig.post(message(rig.serviceUrl, 'run Nope', 'channel', ADA));
    expect(lastText()).toBe('I could not find a project named "Nope". Type "status" to see the projects.');
    expect(await watched()).toEqual(before);
  });

  test('"run \"Nope\"" names the project once in quotes, not in doubled ones', async () => {
    await rig.post(message(rig.serviceUrl, 'run "Nope"', 'channel', ADA));
    expect(lastText()).toBe('I could not find a project named "Nope". Type "status" to see the projects.');
  });
});
