import { createDataIntegration, staticTokenProvider } from '../../../src/integration';
import { VERBS } from '../../../src/verbs';
import { ADA, CHANNEL, message, submit } from '../../helpers/activities';
import { cardText } from '../../helpers/cardWalk';
import { createSandboxProject } from '../../helpers/sandboxProject';
import { SecurityRig, startSecurityRig } from '../../security/securityRig';

/**
 * "history NAME" as people type it, as "run NAME" takes it: in another case, or in quotes. "history \"AccSync\"" looked
 * for a project named with the quotes and showed an empty history of "\"AccSync\"".
 */
describe('"history NAME" typed in another case or in quotes (local mode, over loopback HTTP)', () => {
  let rig: SecurityRig;
  const lastCard = () => cardText(rig.connector.messages(CHANNEL).filter((c) => c.activity.attachments?.length).at(-1)?.activity.attachments?.[0]?.content);

  beforeAll(async () => {
    rig = await startSecurityRig();
    const di = createDataIntegration({ baseUrls: rig.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 1 });
    await createSandboxProject(di, 'AccSync');
    await di.setSchedule('AccSync', { kind: 'recurring', every: 1, unit: 'hours' });
    await rig.post(submit(rig.serviceUrl, { verb: VERBS.pauseSchedule, projectName: 'AccSync' }, 'channel', ADA));
  }, 60_000);
  afterAll(async () => { await rig.close(); });

  test.each([['history accsync'], ['HISTORY ACCSYNC'], ['history "AccSync"']])('%s shows the history of AccSync', async (typed) => {
    await rig.post(message(rig.serviceUrl, typed, 'channel', ADA));
    expect(lastCard()).toMatch(/AccSync[\s\S]*Ada Admin\*\* paused the schedule/);
  });

  test('a name the service does not list shows its (empty) history as typed, without the quotes', async () => {
    await rig.post(message(rig.serviceUrl, 'history "Nope"', 'channel', ADA));
    expect(lastCard()).toContain('Nope');
    expect(lastCard()).not.toContain('"Nope"');
  });
});
