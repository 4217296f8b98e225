import { ADA, base, BOB, CHANNEL, execute, message, type Person } from '../helpers/activities';
import type { Rig } from '../helpers/approvalsRig';
import { type ConnectorRig, startConnectorRig } from '../helpers/connectorRig';
import { clickables } from '../helpers/cardClicks';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { until } from '../helpers/tryOut';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';
import type { ConnectorCall, LocalConnector } from '../../dev/playground/localConnector';
import { DATAFLOW_ENVIRONMENT, SANDBOX_DATAFLOWS, type Sandbox } from '../../dev/sandbox';
import { VERBS } from '../../src/verbs';

const [ACCOUNTS, CONTACTS] = SANDBOX_DATAFLOWS;
const invoke = (serviceUrl: string, from: Person, verb: string, data: Record<string, unknown>) => ({
  ...base(serviceUrl, 'channel', from), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});
const cardOf = (call: ConnectorCall) => call.activity.attachments?.[0]?.content;
const answer = (r: { body: unknown }) => (r.body as { value: unknown }).value;

describe.each([sqliteBackend(), azureBackend()])('watching dataflows over HTTP with the sandbox, on $name', (backend: StateBackend) => {
  let sandbox: Sandbox, connector: LocalConnector, serviceUrl: string, rig: Rig, world: ConnectorRig;
  beforeEach(async () => {
    // Refreshes come when the test says.
    ({ sandbox, connector, serviceUrl, rig } = world = await startConnectorRig(backend, {
      sandbox: { seed: { accounts: 10 }, dataflowEverySeconds: 3600 }, halted: true, env: { RUN_POLL_SECONDS: '3600' },
    }));
  });
  afterEach(() => world.close());
  afterAll(() => backend.stop());

  /** The dataflow alerts posted so far, as [thread, first line]. */
  const alerts = () => connector.messages(CHANNEL).filter((c) => /refresh/i.test(cardText(cardOf(c)).split(' | ')[0] ?? ''))
    .map((c) => ({ thread: c.kind === 'createConversation' ? c.activityId : c.replyToId, headline: cardText(cardOf(c)).split(' | ')[0]!, text: cardText(cardOf(c)), card: cardOf(c) }));

  test('a person types "watch dataflows", picks two, and gets one alert per refresh in each one\'s thread; failures only and stop act once', async () => {
    await rig.post(message(serviceUrl, 'watch dataflows', 'channel', ADA));
    const pick = cardOf(connector.messages(CHANNEL).at(-1)!);
    expect(cardProblems(pick)).toEqual([]);
    expect(cardText(pick)).toContain('Which environment');
    const listed = answer(await rig.post(invoke(serviceUrl, ADA, VERBS.dataflowPickEnvironment, { environment: DATAFLOW_ENVIRONMENT.name })));
    expect(cardText(listed)).toMatch(/Accounts from SQL Server \(Succeeded, .* UTC\).*Contacts from Salesforce.*Products and price lists/);
    const watched = answer(await rig.post(invoke(serviceUrl, ADA, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: `${ACCOUNTS!.id},${CONTACTS!.id}`, level: 'all' })));
    expect(cardText(watched)).toContain('Watching here: Accounts from SQL Server, Contacts from Salesforce (every refresh)');

    sandbox.dataflows.refreshNow();
    await rig.feature.watcher.pollOnce();
    await rig.feature.watcher.pollOnce(); // nothing new: nothing more
    let seen = alerts();
    expect(seen.map((a) => a.headline).sort()).toEqual(['✅ Accounts from SQL Server refreshed', '✅ Contacts from Salesforce refreshed']);
    expect(new Set(seen.map((a) => a.thread)).size).toBe(2);
    expect(seen[0]!.text).toMatch(/\*\*(account|contact)\*\*: \d+ inserted, \d+ upserted, 0 errors/);
    for (const a of seen) expect(cardProblems(a.card)).toEqual([]);

    sandbox.dataflows.refreshNow();
    await rig.feature.watcher.pollOnce();
    seen = alerts();
    expect(seen).toHaveLength(4);
    for (const name of [ACCOUNTS!.name, CONTACTS!.name]) expect(new Set(seen.filter((a) => a.headline.includes(name)).map((a) => a.thread)).size).toBe(1);

    // Failures only for Accounts (it always succeeds) and stop for Contacts, each clicked twice at once.
    const [f1, f2, s1, s2] = await Promise.all([
      rig.post(invoke(serviceUrl, BOB, VERBS.dataflowNotify, { dataflowId: ACCOUNTS!.id, level: 'failures' })),
      rig.post(invoke(serviceUrl, BOB, VERBS.dataflowNotify, { dataflowId: ACCOUNTS!.id, level: 'failures' })),
      rig.post(invoke(serviceUrl, ADA, VERBS.dataflowStop, { dataflowId: CONTACTS!.id })),
      rig.post(invoke(serviceUrl, ADA, VERBS.dataflowStop, { dataflowId: CONTACTS!.id })),
    ]);
    expect([answer(f1), answer(f2)]).toEqual([expect.stringContaining('only refreshes that did not succeed'), expect.stringContaining('only refreshes that did not succeed')]);
    // The one that stopped it answers with the alert frozen to a summary (a second click came before that card reached anyone).
    const read = (a: unknown) => (typeof a === 'string' ? a : cardText(a));
    expect([answer(s1), answer(s2)].map(read).sort()).toEqual([expect.stringMatching(/^Alerts of Contacts from Salesforce \| Ada Admin stopped watching "Contacts from Salesforce" here/), expect.stringContaining('I am not watching that dataflow here')]);
    sandbox.dataflows.refreshNow();
    await rig.feature.watcher.pollOnce();
    expect(alerts()).toHaveLength(4);

    await rig.post(message(serviceUrl, 'status', 'channel', ADA));
    const status = connector.messages(CHANNEL).map((c) => c.activity.text ?? '').filter((t) => t.startsWith('Dataflows watched here'));
    expect(status).toEqual([expect.stringMatching(/^Dataflows watched here:\n- \*\*Accounts from SQL Server\*\* \(.+\): last refresh Succeeded, .+ UTC; only refreshes that did not succeed$/)]);
  }, 60_000);

  test('a person whose Teams speaks German gets the alerts of the dataflows she watches in German; an English watch in the same channel stays English', async () => {
    const inGerman = <A extends object>(activity: A) => ({ ...activity, locale: 'de-DE', localTimezone: 'Europe/Berlin' });
    await rig.post(inGerman(invoke(serviceUrl, ADA, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: ACCOUNTS!.id, level: 'all' })));
    await rig.post({ ...invoke(serviceUrl, BOB, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: CONTACTS!.id, level: 'all' }), locale: 'en-US' });
    sandbox.dataflows.refreshNow();
    // On Azure the instance sends only once it holds the leader's lease, which it takes a moment after start.
    await until('both alerts', async () => { await rig.feature.watcher.pollOnce(); return connector.messages(CHANNEL).filter((c) => cardOf(c)).length >= 2; }, 20_000);
    const cards = connector.messages(CHANNEL).filter((c) => cardOf(c)).map((c) => ({ text: cardText(cardOf(c)), summary: c.activity.summary, card: cardOf(c) }));
    const german = cards.find((c) => c.text.includes(ACCOUNTS!.name))!;
    expect(german.text.split(' | ')[0]).toBe(`✅ ${ACCOUNTS!.name} aktualisiert`);
    expect(german.text).toContain('Umgebung');
    expect(german.text).toMatch(/\*\*account\*\*: \d+ eingefügt, \d+ aktualisiert, 0 Fehler/);
    expect(german.summary).toMatch(new RegExp(`^${ACCOUNTS!.name}: `));
    expect(cardProblems(german.card)).toEqual([]);
    expect(cards.find((c) => c.text.includes(CONTACTS!.name))!.text.split(' | ')[0]).toBe(`✅ ${CONTACTS!.name} refreshed`);
  }, 60_000);

  test('Stop on the newest alert of a thread freezes its older alerts too, for everyone: each is updated to a card without buttons that says who stopped it', async () => {
    // Ada watches in German; Bob, in English, stops it from the newest alert.
    await rig.post({ ...invoke(serviceUrl, ADA, VERBS.dataflowWatch, { environment: DATAFLOW_ENVIRONMENT.name, dataflows: ACCOUNTS!.id, level: 'all' }), locale: 'de-DE' });
    const posted = () => connector.messages(CHANNEL).filter((c) => c.kind !== 'update' && cardText(cardOf(c)).includes(ACCOUNTS!.name));
    for (let n = 1; n <= 3; n++) {
      sandbox.dataflows.refreshNow();
      // On Azure the instance sends only once it holds the leader's lease, which it takes a moment after start.
      await until(`alert ${n}`, async () => { await rig.feature.watcher.pollOnce(); return posted().length >= n; }, 20_000);
    }
    const [first, second, newest] = posted() as [ConnectorCall, ConnectorCall, ConnectorCall];
    expect(clickables(cardOf(first)).map((c) => c.verb)).toEqual([VERBS.dataflowNotify, VERBS.dataflowNotify, VERBS.dataflowStop]);

    const stopped = answer(await rig.post(execute(serviceUrl, BOB, VERBS.dataflowStop, { dataflowId: ACCOUNTS!.id }, newest.activityId)));
    expect(clickables(stopped)).toEqual([]);
    await rig.feature.idle();
    const now = (call: ConnectorCall) => connector.calls.filter((c) => c.activityId === call.activityId).at(-1)!;
    expect(now(newest).kind).toBe('update');
    expect(cardText(cardOf(now(newest)))).toBe(`Alerts of ${ACCOUNTS!.name} | Bob Approver stopped watching "${ACCOUNTS!.name}" here. Type "watch dataflows" to watch it again.`);
    // The older ones were updated without any click on them, in the language of the watch (Ada's German).
    for (const older of [first, second]) {
      expect(now(older).kind).toBe('update');
      expect(clickables(cardOf(now(older)))).toEqual([]);
      expect(cardText(cardOf(now(older)))).toBe(`Benachrichtigungen zu ${ACCOUNTS!.name} | Bob Approver hat die Beobachtung von "${ACCOUNTS!.name}" hier beendet. Tippe "watch dataflows", um ihn wieder zu beobachten.`);
    }
    expect(connector.calls.filter((c) => c.kind === 'update')).toHaveLength(3);
  }, 60_000);
});
