import type http from 'node:http';
import { createDataIntegration, staticTokenProvider } from '../../src/integration';
import { DATAFLOW_UNREADABLE } from '../../src/notifications/dataflowPoller';
import { ACCOUNTS, ADA, CHANNEL, CONTACTS, dataflowWatcherTest, ENV } from '../helpers/dataflowWatcher';
import { answerJson, type LoopbackService, loopbackService } from '../helpers/loopbackService';
import { sqliteBackend } from '../helpers/stateBackends';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const GERMAN_CHAT = 'a:bert-chat';
const MUTED_CHAT = 'a:muted-chat';

/**
 * How the environment's Dataverse answers, on loopback: read as the bot reads it (the real client, its wire schemas):
 * `gone` a 404 (the environment deleted, its address changed, or its dataflow tables removed), `oddTime` a page
 * whose one row has an end time without an offset (the wire schema rejects the whole page), `fine` every table read.
 */
type Dataverse = 'gone' | 'oddTime' | 'fine';

describe('an environment whose dataflow refreshes cannot be read for a while (sqlite)', () => {
  const t = dataflowWatcherTest(sqliteBackend(), T0);
  let dataverse: Dataverse;
  let service: LoopbackService;
  let env: typeof ENV;

  beforeAll(async () => {
    service = await loopbackService((req: http.IncomingMessage, res: http.ServerResponse) => {
      if (dataverse === 'gone') return answerJson(res, 404, { error: { code: '0x80060888', message: 'Resource not found for the segment \'msdyn_dataflowrefreshhistories\'.' } });
      if (dataverse === 'oddTime' && req.url?.includes('msdyn_dataflowrefreshhistories')) {
        return answerJson(res, 200, { value: [{ msdyn_dataflowrefreshhistoryid: '0d3c2b1a-1111-4222-8333-944455566677', msdyn_dataflowid: ACCOUNTS, msdyn_refreshstatus: 'Success', msdyn_endtime: '2026-12-06T10:05:00' }] });
      }
      if (req.url?.includes('msdyn_dataflows')) return answerJson(res, 200, { value: [{ msdyn_dataflowid: ACCOUNTS }, { msdyn_dataflowid: CONTACTS }] });
      return answerJson(res, 200, { value: [] });
    });
    env = { ...ENV, instanceUrl: `${service.origin}/`, instanceApiUrl: `${service.origin}/` };
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    dataverse = 'fine';
    const store = t.store();
    for (const [dataflowId, dataflowName] of [[ACCOUNTS, 'Accounts'], [CONTACTS, 'Contacts']] as const) {
      await store.watch({ dataflowId, dataflowName, environment: env, conversationId: CHANNEL, owner: ADA });
    }
    await store.watch({ dataflowId: ACCOUNTS, dataflowName: 'Accounts', environment: env, conversationId: GERMAN_CHAT, owner: ADA, speaks: { locale: 'de-DE' } });
    await store.watch({ dataflowId: CONTACTS, dataflowName: 'Contacts', environment: env, conversationId: MUTED_CHAT, owner: ADA, notifyLevel: 'mute' });
  });

  const watcherOverLoopback = () => {
    const origin = service.origin;
    const reads = createDataIntegration({ baseUrls: { bap: origin, powerapps: origin, integrator: origin }, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 0 });
    return t.watcher(reads);
  };
  /** Polls at these minutes after T0, each alert tried before the next poll. */
  const pollsAt = async (watcher: ReturnType<typeof watcherOverLoopback>, minutes: number[]) => {
    for (const m of minutes) {
      t.now = new Date(T0 + m * 60_000);
      await watcher.pollOnce();
      await watcher.idle();
    }
  };
  const told = () => t.sender.posts.map((p) => [p.target.conversationId, p.text.split(' | ')[0]]);

  test.each([
    ['answers 404 (deleted, moved, or its dataflow tables removed)', 'gone' as const,
      'At my last check, the environment\'s Dataverse answered that it has no dataflow refresh history (was the environment deleted or its address changed',
      'Bei meiner letzten Prüfung: das Dataverse der Umgebung hat geantwortet, dass es keinen Aktualisierungsverlauf von Dataflows hat',
      'An admin should check in the Power Platform admin center that the environment still exists'],
    ['answers a page the wire schema rejects (a time without an offset)', 'oddTime' as const,
      'At my last check, the environment\'s Dataverse answered in a way I do not understand',
      'Bei meiner letzten Prüfung: das Dataverse der Umgebung hat unverständlich geantwortet',
      'Tell whoever runs the bot: its log names the answer it could not read'],
  ])('that %s is told once in each conversation that hears it, in its language, only once it kept failing; reading again then failing again tells again', async (_what, failure, english, german, next) => {
    const watcher = watcherOverLoopback();
    await pollsAt(watcher, [0]); // read once: the cursor and the listing are in place
    dataverse = failure;
    // Three failed polls in a row within a minute are a blip, and so are three within 11 minutes.
    await pollsAt(watcher, [1, 1.5, 2]);
    expect(told()).toEqual([]);
    dataverse = 'fine';
    await pollsAt(watcher, [3]);
    dataverse = failure;
    await pollsAt(watcher, [4, 10, 15]);
    expect(told()).toEqual([]);
    // A failure that lasts: three polls in a row and a quarter of an hour since the first.
    await pollsAt(watcher, [4 + DATAFLOW_UNREADABLE.afterMs / 60_000]);
    expect(told()).toEqual([
      [CHANNEL, 'I cannot read the refreshes of Accounts and 1 more dataflow right now'],
      [GERMAN_CHAT, 'Ich kann die Aktualisierungen von Accounts gerade nicht lesen'],
    ]);
    const [en, de] = t.sender.posts.map((p) => p.text);
    expect(en).toContain(english);
    expect(de).toContain(german);
    expect(en).toContain(next);
    expect(en).not.toMatch(/project|sign in/i);
    // Said once, not at every poll, nor by a new lead (the marker is on the watches).
    await pollsAt(watcher, [25, 40, 60]);
    await pollsAt(watcherOverLoopback(), [61, 62, 63, 80]);
    expect(t.sender.posts).toHaveLength(2);
    // Read again: nothing said, the marker cleared; a later lasting failure is told again.
    dataverse = 'fine';
    await pollsAt(watcher, [81]);
    expect(t.sender.posts).toHaveLength(2);
    expect((await t.store().get({ dataflowId: ACCOUNTS, conversationId: CHANNEL }))?.unreadableAt).toBeUndefined();
    dataverse = failure;
    await pollsAt(watcher, [90, 95, 100]);
    expect(t.sender.posts).toHaveLength(2);
    await pollsAt(watcher, [105]);
    expect(told().slice(2)).toEqual(told().slice(0, 2));
  });

  // For an environment deleted, operations.md tells the admin to stop its watches: one by one, from their alerts.
  test('stopping the watch the note came on tells the conversation nothing again about its other dataflows there', async () => {
    const watcher = watcherOverLoopback();
    await pollsAt(watcher, [0]);
    dataverse = 'gone';
    await pollsAt(watcher, [1, 2, 1 + DATAFLOW_UNREADABLE.afterMs / 60_000]);
    expect(told()).toEqual([
      [CHANNEL, 'I cannot read the refreshes of Accounts and 1 more dataflow right now'],
      [GERMAN_CHAT, 'Ich kann die Aktualisierungen von Accounts gerade nicht lesen'],
    ]);
    await t.store().stop({ dataflowId: ACCOUNTS, conversationId: CHANNEL });
    await pollsAt(watcher, [17, 30]);
    expect(t.sender.posts).toHaveLength(2);
  });

  // Another instance led meanwhile (this one lost the lease, then took it back): the polls it made are no polls of this
  // one's row, so two failed polls of hours ago and one now are no lasting failure.
  test('an instance that leads again counts the failed polls afresh: a blip when it is back is not told', async () => {
    const watcher = watcherOverLoopback();
    await pollsAt(watcher, [0]);
    dataverse = 'gone';
    await pollsAt(watcher, [1, 2]);
    await watcher.stop(); // the lease lost
    dataverse = 'fine';
    await pollsAt(watcherOverLoopback(), [30, 120]); // the other lead reads it
    dataverse = 'gone';
    await pollsAt(watcher, [180]); // the lease taken back, and one failed poll
    expect(told()).toEqual([]);
    await pollsAt(watcher, [181, 180 + DATAFLOW_UNREADABLE.afterMs / 60_000]);
    expect(told().map(([conversation]) => conversation)).toEqual([CHANNEL, GERMAN_CHAT]);
  });
});
