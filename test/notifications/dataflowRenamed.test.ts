import { type DataIntegration, type DataflowRefresh, refreshOutcomeOf } from '../../src/integration/port';
import { decideDataflowWatch } from '../../src/notifications/dataflowDecision';
import { DataflowWatchStore, type DataflowWatch, dataflowWatchSchema } from '../../src/notifications/dataflowWatchStore';
import type { OutboundActivity } from '../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { watchedDataflowsWords } from '../../src/render/dataflowReplies';
import { alertPresenter } from '../../src/render/runCards';
import { ENGLISH } from '../../src/words/words';
import { cardText } from '../helpers/cardWalk';
import { sqliteBackend } from '../helpers/stateBackends';

const DATAFLOW = '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b';
const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const T0 = Date.parse('2026-12-06T00:00:00.000Z');
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();
let n = 0;
const refresh = (endMs: number, extra: Partial<DataflowRefresh> = {}): DataflowRefresh => ({
  id: `r-${(n += 1)}`, dataflowId: DATAFLOW, status: 'Success', outcome: refreshOutcomeOf('Success'), endedAt: at(endMs), startedAt: at(endMs - MIN), ...extra,
});
const watchOf = (extra: Partial<DataflowWatch> = {}): DataflowWatch => dataflowWatchSchema.parse({
  dataflowId: DATAFLOW, dataflowName: 'Accounts', environment: ENV, conversationId: 'c1', owner: { aadObjectId: 'ada', name: 'Ada' },
  notifyLevel: 'all', since: at(T0), ...extra,
});

describe('the name a watch keeps', () => {
  test('is the one the latest refresh carries; an older row read late, or a row without a name, does not change it', () => {
    const facts = { reported: new Set<string>(), now: new Date(T0 + 60 * MIN) };
    const renamed = decideDataflowWatch({ ...facts, watch: watchOf(), refreshes: [refresh(T0 + 5 * MIN, { dataflowName: 'Accounts' }), refresh(T0 + 9 * MIN, { dataflowName: 'Accounts (EU)' })] });
    expect(renamed.update.dataflowName).toBe('Accounts (EU)');
    const watch = watchOf({ dataflowName: 'Accounts (EU)', lastRefresh: { id: 'r', status: 'Success', outcome: 'succeeded', endedAt: at(T0 + 9 * MIN) } });
    expect(decideDataflowWatch({ ...facts, watch, refreshes: [refresh(T0 + 7 * MIN, { dataflowName: 'Accounts' })] }).update).not.toHaveProperty('dataflowName');
    expect(decideDataflowWatch({ ...facts, watch, refreshes: [refresh(T0 + 12 * MIN)] }).update).not.toHaveProperty('dataflowName');
    expect(decideDataflowWatch({ ...facts, watch, refreshes: [refresh(T0 + 12 * MIN, { dataflowName: 'Accounts (EU)' })] }).update).not.toHaveProperty('dataflowName');
  });
});

class Sender {
  posts: string[] = [];
  async send(target: SendTarget, activity: OutboundActivity): Promise<DeliveryResult> {
    this.posts.push(cardText(activity.attachments?.[0]?.content));
    const id = `m${this.posts.length}`;
    return target.newThread && !target.replyToId ? { status: 'sent', activityId: id, threadId: id } : { status: 'sent', activityId: id };
  }
  async update(): Promise<DeliveryResult> { return { status: 'sent' }; }
}

describe('a dataflow renamed after it was watched', () => {
  const backend = sqliteBackend();
  test('its alerts and "status" name it as Dataverse now does, not as it was called when the watch began', async () => {
    const { stores } = await backend.open();
    let now = new Date(T0);
    const store = new DataflowWatchStore(stores.dataflowWatches, () => now);
    await store.watch({ dataflowId: DATAFLOW, dataflowName: 'Accounts', environment: ENV, conversationId: '19:general', owner: { aadObjectId: 'ada', name: 'Ada' } });
    // Renamed in Power Apps to "Accounts (EU)"; the history rows carry the name (msdyn_dataflowname).
    const rows = [refresh(T0 + 5 * MIN, { status: 'Failed', outcome: 'failed', dataflowName: 'Accounts (EU)' })];
    const reads = {
      refreshesEndedSince: async (_e: unknown, _ids: readonly string[], since: string) => rows.filter((r) => r.endedAt > since),
      tableRefreshes: async () => [],
    } as unknown as DataIntegration;
    const sender = new Sender();
    now = new Date(T0 + 10 * MIN);
    const watcher = new RunWatcher({
      watches: new WatchStore(stores.watches, () => now), sender, now: () => now, present: alertPresenter(), integrationFor: async () => undefined,
      dataflows: { store, present: dataflowPresenter, reads },
    }, { pollMs: 10 });
    await watcher.pollOnce();
    const watched = await store.inConversation('19:general');
    await stores.close();
    expect(sender.posts).toHaveLength(1);
    expect(sender.posts[0]!.split(' | ')[0]).toBe('❌ The refresh of Accounts (EU) failed');
    expect(watched.map((w) => w.dataflowName)).toEqual(['Accounts (EU)']);
    expect(ENGLISH.replyLines(watchedDataflowsWords(watched)!)).toContain('- **Accounts (EU)** (Contoso CDS)');
  });
});
