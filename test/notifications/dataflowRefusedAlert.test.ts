import type { DataIntegration } from '../../src/integration/port';
import type { DeliveryResult, SendTarget } from '../../src/notifications/proactiveSender';
import { RunWatcher } from '../../src/notifications/runWatcher';
import { WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import { ADA } from '../helpers/activities';
import { sqliteBackend, StateBackend } from '../helpers/stateBackends';

const OWNER = { aadObjectId: ADA.aadObjectId, name: ADA.name, userId: ADA.id };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
import { refreshOutcomeOf, type DataflowRefresh } from '../../src/integration/port';
import { DataflowWatchStore } from '../../src/notifications/dataflowWatchStore';
import { dataflowPresenter } from '../../src/render/dataflowCards';

describe.each([sqliteBackend()])('a dataflow alert refused in one conversation ($name)', (backend: StateBackend) => {
  const ENV = { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  test('does not hold the environment\'s cursor for every other conversation (no growing query, no old refreshes alerted again once their records are pruned)', async () => {
    const { stores } = await backend.open();
    let now = new Date(T0);
    const refreshes: DataflowRefresh[] = [];
    const sinces: string[] = [];
    const add = (dataflowId: string, m: number) => refreshes.push({ id: `r${refreshes.length + 1}`, dataflowId, status: 'Success', outcome: refreshOutcomeOf('Success'), startedAt: at(m - 1), endedAt: at(m) });
    const reads = {
      refreshesEndedSince: async (_e: unknown, ids: string[], since: string) => { sinces.push(since); return refreshes.filter((r) => ids.includes(r.dataflowId) && r.endedAt > since); },
      tableRefreshes: async () => [],
    } as unknown as DataIntegration;
    const posts: string[] = [];
    const sender = {
      // The conversation 19:b refuses this card (e.g. 400/413): a plain failure, neither gone nor unavailable.
      send: async (t: SendTarget): Promise<DeliveryResult> => (t.conversationId === '19:b' ? { status: 'failed', reason: '400 BadRequest' } : (posts.push(t.conversationId), { status: 'sent', activityId: `m${posts.length}` })),
      update: async (): Promise<DeliveryResult> => ({ status: 'sent' }),
    };
    const dfStore = new DataflowWatchStore(stores.dataflowWatches, () => now);
    await dfStore.watch({ dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', dataflowName: 'Accounts', environment: ENV, conversationId: '19:a', owner: OWNER });
    await dfStore.watch({ dataflowId: '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c', dataflowName: 'Contacts', environment: ENV, conversationId: '19:b', owner: OWNER });
    const w = new RunWatcher({
      watches: new WatchStore(stores.watches, () => now), sender, now: () => now, present: alertPresenter(), integrationFor: async () => undefined,
      dataflows: { store: dfStore, present: dataflowPresenter, reads },
    }, { pollMs: 10 });
    add('4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', 5);
    add('5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c', 6);
    now = new Date(T0 + 10 * 60_000);
    await w.pollOnce();
    await w.idle();
    expect(posts).toEqual(['19:a']);
    // Refreshes of Accounts go on every day for 47 days; each is alerted once.
    for (let day = 1; day <= 47; day++) {
      add('4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', day * 1440);
      now = new Date(T0 + (day * 1440 + 5) * 60_000);
      await w.pollOnce();
      await w.idle();
    }
    now = new Date(now.getTime() + 60_000); // the next poll, a minute later
    await w.pollOnce();
    await w.idle();
    await stores.close();
    const lastSince = Date.parse(sinces.at(-1)!);
    expect({ alertsIn19a: posts.length, queryLooksBackDays: Math.round((now.getTime() - lastSince) / 86_400_000) }).toEqual({ alertsIn19a: 48, queryLooksBackDays: 0 });
  });
});
