import { Harness, startHarness } from '../helpers/harness';
import { cardAction, cardChoices, cardInputs, cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { TranscriptEntry } from '../../dev/playground/transcript';
import { PLAYGROUND_CHANNEL } from '../../dev/playground/people';
import { DATAFLOW_ENVIRONMENT } from '../../dev/sandbox';
import { openEventStream } from './eventStreamClient';

type Stream = Awaited<ReturnType<typeof openEventStream>>;
type Card = Record<string, unknown>;

/**
 * Issue 27's "Done when", as a new user does it in the playground (`npm start`): every message and click goes through
 * the page's own POST /playground/activity, and what the bot says is read from the page's event stream.
 */
describe('watching dataflows in the playground, over HTTP against the embedded sandbox', () => {
  let h: Harness;
  let stream: Stream;
  beforeAll(async () => {
    h = await startHarness({ RUN_POLL_SECONDS: '3600' });
    h.app.sandbox!.dataflows.halt(); // refreshes come when the test says
    stream = await openEventStream(`${h.app.url}/playground/events`);
  }, 60_000);
  afterAll(async () => {
    stream.close();
    await h.close();
  });

  const page = async (action: Record<string, unknown>) => {
    const res = await fetch(`${h.app.url}/playground/activity`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversation: 'channel', person: 'requester', ...action }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { status: number; body: { value?: unknown } | null; activity: { id: string } };
  };
  /** A click on a card's button, as the page sends it: the card's inputs (with the person's choices) and the button's data. */
  const click = async (card: Card, title: string, where: { threadId: string; replyToId: string }, choices: Record<string, string> = {}) => {
    const { verb, ...data } = { ...cardInputs(card), ...choices, ...cardAction(card, title) } as Record<string, string>;
    return page({ kind: 'execute', ...where, verb, data, trigger: 'manual' });
  };
  const entries = () => stream.events.filter((e) => e.event === 'entry' || e.event === 'history').map((e) => e.data as TranscriptEntry);
  const cardOf = (e: TranscriptEntry) => (e.activity.attachments as Array<{ content: Card }> | undefined)?.[0]?.content;
  /** The dataflow alerts on the page, each with its thread (the first message of a thread starts it). */
  const alerts = () => entries().filter((e) => e.kind !== 'user' && cardOf(e) && /refreshed|refresh of .* failed/.test(cardText(cardOf(e)).split(' | ')[0]!))
    .map((e) => ({ thread: e.kind === 'createConversation' ? e.activityId : e.conversationId.split(';messageid=')[1] ?? e.replyToId, card: cardOf(e)!, headline: cardText(cardOf(e)).split(' | ')[0]! }));
  const polled = async () => { await h.app.alerts.watcher.pollOnce(); };

  test('"watch dataflows", two picked: one alert per refresh in each one\'s thread with per-table counts; failures only and stop act once; status lists them', async () => {
    const typed = await page({ kind: 'message', text: 'watch dataflows' });
    const reply = await stream.next((e) => (e.data as TranscriptEntry).replyToId === typed.activity.id && Boolean(cardOf(e.data as TranscriptEntry)));
    const where = { threadId: typed.activity.id, replyToId: (reply.data as TranscriptEntry).activityId };
    const environments = cardOf(reply.data as TranscriptEntry)!;
    expect(cardProblems(environments)).toEqual([]);
    const environment = DATAFLOW_ENVIRONMENT.name; // the sandbox's environment with dataflows
    expect(cardChoices(environments, 'environment')).toContain(environment);
    const listed = (await click(environments, 'Next', where, { environment })).body?.value as Card;
    expect(cardProblems(listed)).toEqual([]);
    const [accounts, contacts] = cardChoices(listed, 'dataflows');
    expect(cardText(listed)).toMatch(/Accounts from SQL Server.*Contacts from Salesforce/);
    const watched = (await click(listed, 'Watch', where, { dataflows: `${accounts},${contacts}`, level: 'all' })).body?.value as Card;
    expect(cardText(watched)).toContain('Watching here: Accounts from SQL Server, Contacts from Salesforce (every refresh)');

    for (let i = 0; i < 2; i++) {
      h.app.sandbox!.dataflows.refreshNow();
      await polled();
      await polled(); // nothing new: nothing more
    }
    const seen = alerts();
    // Contacts fails now and then, with per-table errors (the sandbox's seed): either way one alert per refresh.
    expect(seen.map((a) => a.headline).sort()).toEqual([
      '✅ Accounts from SQL Server refreshed', '✅ Accounts from SQL Server refreshed',
      expect.stringMatching(/^(✅ Contacts from Salesforce refreshed|❌ The refresh of Contacts from Salesforce failed)$/),
      expect.stringMatching(/^(✅ Contacts from Salesforce refreshed|❌ The refresh of Contacts from Salesforce failed)$/),
    ]);
    for (const name of ['Accounts', 'Contacts']) expect(new Set(seen.filter((a) => a.headline.includes(name)).map((a) => a.thread)).size).toBe(1);
    expect(new Set(seen.map((a) => a.thread)).size).toBe(2);
    for (const a of seen) {
      expect(cardText(a.card)).toMatch(/\*\*(account|contact)\*\*: \d+ inserted, \d+ upserted, \d+ errors?/);
      expect(cardProblems(a.card)).toEqual([]);
    }

    // On the latest alerts: Failures only for Accounts (it always succeeds), Stop watching for Contacts; each clicked twice.
    const latest = (name: string) => seen.filter((a) => a.headline.includes(name)).at(-1)!;
    const onAlert = (a: { thread: string }) => ({ threadId: a.thread, replyToId: a.thread });
    const answers = [];
    for (const [alert, title] of [[latest('Accounts'), 'Failures only'], [latest('Accounts'), 'Failures only'], [latest('Contacts'), 'Stop watching'], [latest('Contacts'), 'Stop watching']] as const) {
      // A Stop answers with the alert replaced (frozen for everyone); the other answers are a message.
      const value = (await click(alert.card, title, onAlert(alert))).body?.value;
      answers.push(typeof value === 'string' ? value : JSON.stringify(value));
    }
    expect(answers).toEqual([
      expect.stringContaining('only refreshes that did not succeed'), expect.stringContaining('only refreshes that did not succeed'),
      expect.stringMatching(/stopped watching \\"Contacts from Salesforce\\" here/), expect.stringContaining('I am not watching that dataflow here'),
    ]);
    h.app.sandbox!.dataflows.refreshNow();
    await polled();
    expect(alerts()).toHaveLength(4);

    const status = await page({ kind: 'message', text: 'status' });
    const lines = await stream.next((e) => (e.data as TranscriptEntry).replyToId === status.activity.id && String((e.data as TranscriptEntry).activity.text ?? '').startsWith('Dataflows watched here'));
    expect((lines.data as TranscriptEntry).activity.text).toMatch(/^Dataflows watched here:\n- \*\*Accounts from SQL Server\*\* \(.+\): last refresh Succeeded, .+ UTC; only refreshes that did not succeed$/);
    expect((lines.data as TranscriptEntry).conversationId.startsWith(PLAYGROUND_CHANNEL.id)).toBe(true);
  }, 90_000);
});
