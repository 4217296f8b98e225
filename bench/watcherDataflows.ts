/**
 * The dataflows scenario of `npm run bench:watcher`: 2,000 watched dataflows in 20 environments, 10 % of them refreshing
 * in each poll, through the real RunWatcher (its DataflowPoller, DataflowWatchStore on SQLite, ProactiveSender with
 * Teams' limiters, the card renderer) against a simulated Dataverse (40 ms a query, 16 at once) and Bot Connector.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DataIntegration, DataflowEnvironment, DataflowRefresh, TableRefresh } from '../src/integration/port';
import { DataflowWatchStore } from '../src/notifications/dataflowWatchStore';
import { DeliveryError, type ConversationTransport } from '../src/notifications/outbound';
import { ProactiveSender } from '../src/notifications/proactiveSender';
import { RunWatcher } from '../src/notifications/runWatcher';
import { WatchStore } from '../src/notifications/watchStore';
import { dataflowPresenter } from '../src/render/dataflowCards';
import { alertPresenter } from '../src/render/runCards';
import { openSqliteStateStores } from '../src/storage/sqlite/sqliteStateStores';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REFRESH_TAG = /refresh-\d+-of-[0-9a-f]{8}/g;

/** Dataverse as the watcher sees it: each query waits for one of 16 slots, then 40 ms; every call counted. */
class SimulatedDataverse {
  readonly refreshes: DataflowRefresh[] = [];
  /** Each environment's dataflows, as its listing answers. */
  readonly listed = new Map<string, string[]>();
  calls = 0;
  /** Of the calls, the listings (the search for deleted dataflows, once a quarter of an hour per environment). */
  listings = 0;
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  private async call<T>(answer: () => T): Promise<T> {
    this.calls++;
    if (this.busy >= 16) await new Promise<void>((r) => this.waiting.push(r));
    this.busy++;
    try {
      await sleep(40);
      return answer();
    } finally {
      this.busy--;
      this.waiting.shift()?.();
    }
  }

  client(): DataIntegration {
    return {
      refreshesEndedSince: (_env: unknown, ids: readonly string[], since: string) => this.call(() => {
        const wanted = new Set(ids);
        return this.refreshes.filter((r) => wanted.has(r.dataflowId) && r.endedAt > since);
      }),
      // The table is named after its refresh, so the card that arrives says which refresh it reports.
      listedDataflowIds: (env: DataflowEnvironment) => { this.listings++; return this.call(() => this.listed.get(env.name) ?? []); },
      tableRefreshes: (_env: unknown, id: string) => this.call((): TableRefresh[] => [{ tableName: id, status: 'Success', outcome: 'succeeded', inserted: 10, upserted: 1990, errors: 0 }]),
    } as unknown as DataIntegration;
  }
}

/** The Bot Connector: 100 ms a send, one in ten answered 429 with Retry-After; records which refresh each card reported. */
function connector(delivered: Map<string, number[]>): ConversationTransport {
  return {
    async send(_record, activity) {
      await sleep(100);
      if (Math.random() < 0.1) throw new DeliveryError('Too many requests', 429, 'Throttled', 1000);
      for (const id of new Set(JSON.stringify(activity).match(REFRESH_TAG) ?? [])) delivered.set(id, [...(delivered.get(id) ?? []), Date.now()]);
      return { id: `m${Math.random()}` };
    },
    async update() { await sleep(100); },
    async startThread() { throw new Error('not used: group chats have no threads'); },
  };
}

/** What the scenario measured, for the caller to print beside the goals. */
export interface DataflowBenchResult {
  dataflows: number; environments: number; polls: number; refreshes: number;
  maxCallsPerPoll: number; maxAlertsPerPoll: number; callGoalMet: boolean;
  latencies: number[]; rss: number; loopMaxMs: number; lost: number; duplicated: number;
}

/** Runs the scenario: `cycles` polls of `pollMs`, `share` of the dataflows ending a refresh at a random moment of each. */
export async function runDataflowBench(options: { dataflows: number; environments: number; share: number; cycles: number; pollMs: number }): Promise<DataflowBenchResult> {
  const { dataflows, environments, share, cycles, pollMs } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dataflows-'));
  const stores = openSqliteStateStores(dir);
  const store = new DataflowWatchStore(stores.dataflowWatches);
  const dataverse = new SimulatedDataverse();
  const delivered = new Map<string, number[]>();
  const endedAt = new Map<string, number>();
  const ids: string[] = [];
  for (let d = 0; d < dataflows; d++) {
    const conversationId = `19:chat-${d}`;
    await stores.refs.save({ conversationId, channelId: 'msteams', conversationType: 'groupChat', serviceUrl: 'http://connector/', tenantId: 'tenant', reference: { channelId: 'msteams', serviceUrl: 'http://connector/', conversation: { id: conversationId } } });
    const e = d % environments;
    const environment = { name: `env-${e}`, displayName: `Environment ${e}`, instanceUrl: `https://org${e}.crm.dynamics.com/`, instanceApiUrl: `https://org${e}.api.crm.dynamics.com/` };
    const dataflowId = randomUUID();
    ids.push(dataflowId);
    dataverse.listed.set(environment.name, [...(dataverse.listed.get(environment.name) ?? []), dataflowId]);
    await store.watch({ dataflowId, dataflowName: `Dataflow ${d}`, environment, conversationId, owner: { aadObjectId: `owner-${e}`, name: `Owner ${e}` }, since: new Date(Date.now() - 60_000).toISOString() });
  }
  const sender = new ProactiveSender({ refs: stores.refs, transport: connector(delivered), retry: { initialDelayMs: 200, maxDelayMs: 5000, maxAttempts: 8 } });
  const client = dataverse.client();
  const perPoll: Array<{ calls: number; listings: number; alerts: number }> = [];
  let callsBefore = 0;
  let listingsBefore = 0;
  const watcher = new RunWatcher({
    watches: new WatchStore(stores.watches), sender, present: alertPresenter(), integrationFor: async () => undefined,
    dataflows: { store, present: dataflowPresenter, reads: client },
    onPoll: (p) => {
      perPoll.push({ calls: dataverse.calls - callsBefore, listings: dataverse.listings - listingsBefore, alerts: p.queued });
      [callsBefore, listingsBefore] = [dataverse.calls, dataverse.listings];
    },
  }, { pollMs });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  watcher.start();
  let n = 0;
  for (let cycle = 1; cycle < cycles; cycle++) {
    const due = started + cycle * pollMs;
    for (let i = 0; i < Math.round(dataflows * share); i++) {
      const dataflowId = ids[Math.floor(Math.random() * dataflows)]!;
      const at = due - pollMs + Math.random() * (pollMs - 1000);
      setTimeout(() => {
        const id = `refresh-${++n}-of-${dataflowId.slice(0, 8)}`;
        const end = new Date();
        endedAt.set(id, end.getTime());
        dataverse.refreshes.push({ id, dataflowId, status: 'Success', outcome: 'succeeded', startedAt: new Date(end.getTime() - 60_000).toISOString(), endedAt: end.toISOString() });
      }, Math.max(0, at - Date.now()));
    }
    await sleep(Math.max(0, due + 500 - Date.now()));
  }
  const drainUntil = Date.now() + 120_000;
  while (Date.now() < drainUntil && [...endedAt.keys()].some((id) => !delivered.has(id))) await sleep(200);
  await watcher.stop();
  loop.disable();
  const rss = process.memoryUsage().rss;
  await stores.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const latencies = [...endedAt].flatMap(([id, at]) => (delivered.get(id) ?? []).slice(0, 1).map((t) => t - at)).sort((a, b) => a - b);
  return {
    dataflows, environments, polls: perPoll.length, refreshes: endedAt.size,
    maxCallsPerPoll: Math.max(...perPoll.map((p) => p.calls)), maxAlertsPerPoll: Math.max(...perPoll.map((p) => p.alerts)),
    callGoalMet: perPoll.every((p) => p.calls - p.listings <= environments + p.alerts && p.listings <= environments),
    latencies, rss, loopMaxMs: loop.max / 1e6,
    lost: [...endedAt.keys()].filter((id) => !delivered.has(id)).length,
    duplicated: [...delivered.values()].filter((times) => times.length > 1).length,
  };
}
