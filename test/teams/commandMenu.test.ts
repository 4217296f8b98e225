import { readFileSync } from 'node:fs';
import { message, Person } from '../helpers/activities';
import { SecurityRig, startSecurityRig } from '../security/securityRig';

const manifest = JSON.parse(readFileSync('manifest/manifest.template.json', 'utf8')) as { bots: Array<{ commandLists: Array<{ commands: Array<{ title: string; description: string }> }> }> };
const menu = manifest.bots[0].commandLists[0].commands;
const person = (word: string, n: number): Person => ({ id: `29:menu-${word}`, name: 'Menu User', aadObjectId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}` });

describe('Teams\' command menu: each command sent as the menu inserts it (its title alone)', () => {
  let rig: SecurityRig;
  beforeAll(async () => { rig = await startSecurityRig(); }, 60_000);
  afterAll(async () => { await rig.close(); });
  beforeEach(() => { rig.connector.calls.splice(0); });

  const send = async (text: string, n: number, locale = 'en-US') => {
    const res = await rig.post({ ...message(rig.serviceUrl, text, 'personal', person(text.replace(/\W/g, ''), n)), locale });
    expect(res.status).toBe(200);
    return rig.connector.messages().map((c) => c.activity.text ?? '').join('\n');
  };

  test.each(menu.map((c, i) => [c.title, i] as const))('"%s": the bot does not claim not to know it', async (title, i) => {
    expect(await send(title, i + 1)).not.toMatch(/don't know/);
  });

  test.each([
    ['schedule', 'schedule PROJECT every N minutes | hours | days | weeks | months'],
    ['history', 'history PROJECT'],
    ['run', 'run PROJECT'],
    ['notify', 'notify all | failures | mute PROJECT'],
  ])('a bare "%s" answers with how it is typed, in English and German', async (word, usage) => {
    const english = await send(word, 20);
    expect(english).toContain(`Name the project: ${usage}.`);
    rig.connector.calls.splice(0);
    const german = await send(word, 21, 'de-DE');
    expect(german).toContain(`Nenne das Projekt: ${usage}.`);
  });

  test('the menu\'s "history" says what "history" shows (schedule requests and decisions, not runs)', () => {
    const history = menu.find((c) => c.title === 'history')!;
    expect(history.description).not.toMatch(/recent runs|upserts|errors/);
    expect(history.description).toMatch(/schedule requests/);
  });

  test('every menu description fits Teams\' limit (128 characters)', () => {
    expect(menu.filter((c) => c.description.length > 128)).toEqual([]);
  });
});
