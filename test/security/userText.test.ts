import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { VERBS } from '../../src/verbs';
import { base, message, submit } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from './securityRig';

const BROKEN = /broken character \(a lone UTF-16 surrogate\)/;

describe('names and text a person types, over HTTP in local mode', () => {
  let rig: SecurityRig;
  let projectsBefore: string[];
  const projects = async () => (await createDataIntegration({ baseUrls: rig.app.sandbox!.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 1 }).listProjects()).map((p) => p.name).sort();
  const lastText = () => rig.connector.messages().at(-1)?.activity.text ?? '';
  beforeAll(async () => {
    rig = await startSecurityRig();
    projectsBefore = await projects();
  });
  afterAll(async () => { await rig.close(); });
  afterEach(async () => {
    expect(rig.logs()).not.toContain('unhandled error in turn');
    expect(await projects()).toEqual(projectsBefore);
  });

  test.each([
    ['schedule \ud800x every 5 minutes'], ['history \ud800x'], ['notify all \udfffx'], ['mute x\ud800'], ['save \ud800 as template'],
  ])('typed "%s" gets a clear message', async (text) => {
    const res = await rig.post(message(rig.serviceUrl, text));
    expect(res.status).toBe(200);
    expect(lastText()).toMatch(BROKEN);
  });

  test.each([[VERBS.runAgain], [VERBS.pauseSchedule], [VERBS.resumeSchedule], [VERBS.showRunErrors]])('Action.Execute %s with a broken project name answers with a message, not 501', async (verb) => {
    const res = await rig.post({
      ...base(rig.serviceUrl, 'channel'), type: 'invoke', name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data: { projectName: 'Accounts \ud800', executionId: '1' } } },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).value).toMatch(BROKEN);
  });

  test.each([[VERBS.runAgain], [VERBS.showRunErrors]])('Action.Submit %s with a broken project name answers with a message', async (verb) => {
    expect((await rig.post(submit(rig.serviceUrl, { verb, projectName: '\udc00', executionId: '1' }))).status).toBe(200);
    expect(lastText()).toMatch(BROKEN);
  });

  test('echoed text is escaped and cut: no link, no HTML, no template expression', async () => {
    const hostile = `make [a link](https://evil.example) <b>bold</b> {{DATE(2020-01-01T00:00:00Z)}} *x* ${'y'.repeat(5000)}`;
    await rig.post(message(rig.serviceUrl, hostile));
    const text = lastText();
    expect(text).toMatch(/don't know "make \\\[a link\\\]\(https:\u200b\/\/evil\.example\) &lt;b&gt;bold&lt;\/b&gt; \{\u200b\{DATE/);
    expect(text).not.toMatch(/\]\(https:\/\/|<b>|\{\{/);
    expect(text.length).toBeLessThan(300);
    expect(rig.logs()).not.toContain('make [a link]'); // what people type is not logged
  });

  test('an unknown project in "schedule" is echoed escaped', async () => {
    await rig.post(message(rig.serviceUrl, 'schedule [x](https://evil.example)'));
    expect(lastText()).toMatch(/How often should "\\\[x\\\]/);
    expect(lastText()).not.toContain('](https://');
  });
});
