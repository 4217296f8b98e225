/**
 * A schedule saved with the approver's sign-in because the requester's was refused (401) or not allowed (403): the
 * run watch set up in the request's conversation reads the runs with the approver's sign-in too, so the scheduled runs
 * are alerted in the thread, and a "sign-in needed" card (if his ever stops working) names him, who can act on it.
 * A schedule saved with her own sign-in stays watched with hers. The approvals' instance and the run watcher share
 * one state and one way to reach a person's sign-in, as in the bot; real HTTP clients against the sandbox, whose
 * scheduler runs the saved schedule.
 */
import type { DataIntegration } from '../../../src/integration';
import { DataIntegrationError } from '../../../src/integration/port';
import type { ClientOwner } from '../../../src/integration';
import { ProjectWatches } from '../../../src/features/runs/projectWatches';
import type { OutboundActivity } from '../../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../../src/notifications/proactiveSender';
import { RunWatcher } from '../../../src/notifications/runWatcher';
import { WatchStore } from '../../../src/notifications/watchStore';
import { alertPresenter } from '../../../src/render/runCards';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { VERBS } from '../../../src/verbs';
import { type Sandbox, startSandbox } from '../../../dev/sandbox';
import { cardText } from '../../helpers/cardWalk';
import { tempDataDir } from '../../helpers/harness';
import { createSandboxProject, signedInTo } from '../../helpers/sandboxProject';
import { ADA, approvalsInstance, BOB, turn } from '../../helpers/approvalsInstance';

const MINUTE_MS = 300;

/** A client whose sign-in the service does not let touch the project (403): her permission is gone. */
const forbidden = (client: DataIntegration): DataIntegration => {
  const refuse = async (): Promise<never> => { throw new DataIntegrationError('Forbidden', { service: 'integrator', code: 'forbidden', status: 403 }); };
  return { ...client, getSchedule: refuse, setSchedule: refuse, listExecutions: refuse };
};

describe('the run watch of a schedule saved with the approver\'s sign-in reads its runs with a sign-in that works', () => {
  let sandbox: Sandbox;
  let stores: StateStores;
  /** A person's own client, with a sign-in (token) nobody else has. */
  const signedIn = signedInTo(() => sandbox);
  let ada: DataIntegration;
  let bob: DataIntegration | undefined;
  /** Whose sign-in was asked for, by approvals and watcher alike. */
  let asked: string[];
  const integrationFor = async ({ owner }: ClientOwner) => {
    asked.push(owner.name);
    return owner.aadObjectId === ADA.aadObjectId ? ada : bob;
  };
  /** What the watcher posted in the channel. */
  let posted: string[];
  const sender = {
    send: async (_to: SendTarget, a: OutboundActivity): Promise<DeliveryResult> => {
      posted.push(cardText(a.attachments?.[0]?.content));
      return { status: 'sent', activityId: `m${posted.length}` };
    },
    update: async (_c: string, id: string): Promise<DeliveryResult> => ({ status: 'sent', activityId: id }),
  };

  /** Ada asks in the channel for AccSync every minute, Bob approves in his chat; returns the watch it set up and the watcher. */
  const approved = async (locale = 'en-GB') => {
    const watches = new WatchStore(stores.watches);
    const instance = approvalsInstance(stores, () => new Date(), integrationFor, { watches: new ProjectWatches(watches) });
    const outcome = await instance.approvals.request({ projectName: 'AccSync', recurrence: { kind: 'recurring', every: 1, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general', requestedIn: { locale } }, signedIn('lister'));
    if (outcome.kind !== 'requested') throw new Error(`not requested: ${outcome.kind}`);
    await instance.approvals.recordCard(outcome.request.id, { conversationId: '19:general', activityId: 'channel-card' });
    await instance.actions[VERBS.approveSchedule](turn(BOB, '29:bob-chat'), { requestId: outcome.request.id });
    await instance.background.idle();
    const watcher = new RunWatcher({ watches, sender, present: alertPresenter(), integrationFor }, { pollMs: 10, minuteMs: MINUTE_MS });
    return { instance, watcher, watch: await watches.get({ projectName: 'AccSync', conversationId: '19:general' }), request: await instance.approvals.current(outcome.request.id) };
  };
  /** Waits for a scheduled run of AccSync to end, then lets the watcher look once. */
  const afterScheduledRun = async (watcher: RunWatcher) => {
    const reader = signedIn('reader');
    const end = Date.now() + 20_000;
    while (!(await reader.listExecutions('AccSync')).some((e) => e.status !== 'queued' && e.status !== 'running')) {
      if (Date.now() > end) throw new Error('no scheduled run ended');
      await new Promise((r) => setTimeout(r, 50));
    }
    asked = [];
    await watcher.pollOnce();
  };
  /** What the watcher posted is run alerts only, at least one: under load two runs of a 300 ms "minute" may end before the look. */
  const expectRunAlerts = (alert: RegExp) => {
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(posted.filter((p) => !alert.test(p))).toEqual([]);
  };

  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir(), minuteMs: MINUTE_MS, seed: { accounts: 20 } });
    await createSandboxProject(signedIn('admin'), 'AccSync');
    stores = openSqliteStateStores(tempDataDir());
    ada = signedIn('ada');
    bob = signedIn('bob');
    asked = [];
    posted = [];
  }, 60_000);
  afterEach(async () => {
    stores.close();
    await sandbox.close();
  });

  test('her sign-in refused (401): the watch is Bob\'s, and the scheduled runs are alerted, with no sign-in card for her', async () => {
    sandbox.faults.inject({ route: 'getSchedule', expiredToken: true, times: 1 }); // her token is refused from now on
    const { instance, watcher, watch, request } = await approved();
    expect(request).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: BOB, insteadOfRequester: 'refused' } });
    expect(watch?.owner).toEqual(BOB);
    expect(instance.told).toEqual([expect.stringMatching(/Its run alerts come here; I read its runs with the sign-in of Bob Approver\.$/)]);
    await afterScheduledRun(watcher);
    expect(asked).toEqual(['Bob Approver']);
    expectRunAlerts(/AccSync (succeeded|finished with errors|failed)/);
    expect(posted.join('\n')).not.toMatch(/Sign-in needed/);
  }, 60_000);

  test('her sign-in not allowed to (403), told in German: the runs are read with Bob\'s, and a sign-in card, once his stops working, names him', async () => {
    ada = forbidden(signedIn('ada'));
    const { instance, watcher, watch, request } = await approved('de-DE');
    expect(request).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: BOB, insteadOfRequester: 'forbidden' } });
    expect(watch?.owner).toEqual(BOB);
    expect(instance.told).toEqual([expect.stringMatching(/Seine Laufmeldungen kommen hierher; ich lese seine Läufe mit der Anmeldung von Bob Approver\.$/)]);
    await afterScheduledRun(watcher);
    expectRunAlerts(/AccSync: (erfolgreich|mit Fehlern beendet|fehlgeschlagen)/);

    bob = undefined; // Bob's sign-in is gone: he, not Ada, is asked to sign in again
    await watcher.pollOnce();
    expect(posted.at(-1)).toMatch(/Anmeldung nötig, um AccSync weiter zu beobachten.*mit der Anmeldung von Bob Approver.*Bob Approver, wähle Anmelden/);
  }, 60_000);

  test('her sign-in works: the watch stays hers and the runs are read with it', async () => {
    const { instance, watcher, watch, request } = await approved();
    expect(request).toMatchObject({ scheduleState: 'set', scheduleSignIn: { by: ADA } });
    expect(watch?.owner).toEqual(ADA);
    expect(instance.told).toEqual([expect.stringMatching(/Its run alerts come here\.$/)]);
    await afterScheduledRun(watcher);
    expect(asked).toEqual(['Ada Admin']);
    expectRunAlerts(/AccSync (succeeded|finished with errors|failed)/);
  }, 60_000);
});
