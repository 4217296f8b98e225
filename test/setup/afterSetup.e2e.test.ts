import { ADA, BOB, CHANNEL, message } from '../helpers/activities';
import { cardAction, cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { Harness, startHarness } from '../helpers/harness';
import { click, isUpdateBeyondSetup, walkToStepFive } from '../helpers/setupWalk';

const cardsOf = (h: Harness) => h.connector.messages().flatMap((c) => (c.activity.attachments ?? []).map((a) => a.content as Record<string, unknown>));
const lastCard = (h: Harness) => cardsOf(h).at(-1)!;
const textsOf = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

describe('after the setup: the result card, the step-5 card, and typed commands (issue 12)', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('the result offers Run again and Schedule; Run again runs; Request schedule on the old step-5 card still asks (items 5, 6)', async () => {
    h = await startHarness({ SCHEDULE_APPROVERS: BOB.aadObjectId });
    const stepFive = await walkToStepFive(h, 'After setup sync');
    await click(h, stepFive, 'Run now');
    const first = await h.connector.waitFor(isUpdateBeyondSetup, 20_000);
    const result = first.activity.attachments![0].content;
    expect(cardProblems(result)).toEqual([]);
    expect(cardAction(result, 'Run again')).toEqual({ verb: 'command', command: 'run After setup sync' });
    expect(cardAction(result, 'Schedule every 5 minutes')).toEqual({ verb: 'command', command: 'schedule After setup sync every 5 minutes' });

    const updates = () => h.connector.messages().filter(isUpdateBeyondSetup).length;
    await click(h, result, 'Run again');
    expect(cardText(lastCard(h))).toMatch(/After setup sync is (running|queued)/);
    await h.connector.waitFor(() => updates() >= 2, 20_000).catch(() => undefined);
    expect(updates()).toBe(2);

    const before = textsOf(h).length;
    await click(h, stepFive, 'Request schedule', { every: '10', unit: 'minutes' });
    const said = textsOf(h).slice(before).join(' ');
    expect(said).not.toMatch(/not part of a setup/);
    expect(said).toMatch(/Asking for a schedule of "After setup sync" every 10 minutes/);
    expect(cardText(lastCard(h))).toMatch(/Schedule approval needed/);
  }, 60_000);

  test('"run PROJECT" is a command; an unknown project is named, not a stack trace', async () => {
    h = await startHarness();
    await walkToStepFive(h, 'Typed run sync');
    await h.post(message(h.serviceUrl, 'cancel'));
    await h.post(message(h.serviceUrl, 'run Typed run sync'));
    expect(cardText(lastCard(h))).toMatch(/Typed run sync is (running|queued)/);
    await h.post(message(h.serviceUrl, 'run No such project'));
    expect(textsOf(h).at(-1)).toMatch(/could not find a project named "No such project"/);
  }, 60_000);

  test('a new post while a setup is open in another thread says so (item 8)', async () => {
    h = await startHarness();
    const thread = `${CHANNEL};messageid=1700000000001`;
    const inThread = (activity: ReturnType<typeof message>) => ({ ...activity, conversation: { ...activity.conversation, id: thread } });
    await h.post(inThread(message(h.serviceUrl, 'set up account sync')));
    expect(cardText(lastCard(h))).toContain('Step 1 of 5');
    await h.post(message(h.serviceUrl, 'what was that again'));
    const said = textsOf(h).slice(-2).join(' ');
    expect(said).toMatch(/You have a setup open in another thread of this channel/);
    expect(said).toMatch(/don't know/);
    await h.post(inThread(message(h.serviceUrl, 'cancel')));
    await h.post(message(h.serviceUrl, 'what was that again'));
    expect(textsOf(h).at(-2)).not.toMatch(/setup open/);
  }, 60_000);

  test.each([
    ['schedule', 'schedule '],
    ['notify', 'notify all '],
    ['save as template', 'save '],
    ['run', 'run '],
  ])('a 27,000-character "%s" gets a reply under 28 KB with the echo elided (item 21)', async (_name, prefix) => {
    h = await startHarness();
    const long = 'x'.repeat(27_000);
    await h.post(message(h.serviceUrl, prefix === 'save ' ? `save ${long} as template` : `${prefix}${long}`, 'personal', ADA));
    const replies = h.connector.messages().filter((c) => c.activity.type !== 'typing');
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      expect(Buffer.byteLength(JSON.stringify(r.activity))).toBeLessThan(4 * 1024);
      const text = r.activity.text ?? '';
      expect(text.includes('…') || !text.includes('x'.repeat(100))).toBe(true); // elided, or not repeated at all
    }
  }, 30_000);
});
