import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import FakeTimers from '@sinonjs/fake-timers';
import { ConnectorCall, LocalConnector, startLocalConnector } from '../../dev/playground/localConnector';
import type { ExecutionRecord } from '../../dev/sandbox/store/executionStore';
import { loadConfig } from '../../src/config';
import { createDataIntegration, staticTokenProvider, userTokenProvider } from '../../src/integration';
import { ROUTES, SCOPES } from '../../src/integration/routes';
import { ProjectIdCache } from '../../src/integration/services/projectIdCache';
import type { DataIntegration } from '../../src/integration/port';
import { createLogger } from '../../src/logger';
import { ProactiveSender } from '../../src/notifications/proactiveSender';
import { RunWatcher, type PollSummary, type RunWatcherOptions } from '../../src/notifications/runWatcher';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, TEAMS_TENANT_WINDOWS } from '../../src/notifications/slidingWindowLimiter';
import { WatchStore } from '../../src/notifications/watchStore';
import { alertPresenter } from '../../src/render/runCards';
import { openAzureStateStores } from '../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../src/storage/azure/azureTarget';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { boundedStores } from '../../src/storage/boundedStores';
import type { StateStores } from '../../src/storage/stateStores';
import { createAdapter } from '../../src/teams/adapter';
import { botConnectorTransport } from '../../src/teams/botConnectorTransport';
import { freshPrefix, launchAzurite, type Azurite } from '../../test/helpers/azurite';
import { DeliveryTally } from './figures';
import { startLocalIntegrator, type LocalIntegrator } from './localIntegrator';

/** The watched projects: `projects` of them in `channels` channels, each running every `everyMs` for about `runMs`. */
export interface RigOptions {
  store: 'azure' | 'sqlite';
  projects: number;
  channels: number;
  everyMs: number;
  runMs: number;
  /** Simulated ms per real ms (the clock is @sinonjs/fake-timers; real I/O gets one real ms per step). */
  speed: number;
  /** The token service the owners' tokens come from: as in the bot, each poll builds the owner's client and fetches the token once. */
  tokenService?: { fails(): boolean };
  watcher?: Partial<RunWatcherOptions>;
  /** Pace the simulated clock by real time (`speed` simulated ms per real ms elapsed), not by steps: real turns beside it see a steady clock. */
  realTimePaced?: boolean;
  /** The state stores' deadline in simulated ms (default the product's 3 s, then a fraction of a real second: the soak scales it to mean real seconds). */
  stateDeadlineMs?: number;
  /** Keep only the tally of what was posted, not each message (the soak: a day posts tens of thousands). */
  countOnly?: boolean;
}

/** One message the local connector took, as the bench reads it. */
export interface Posted { conversationId: string; at: number; runs: string[]; text: string }

/** The real watcher stack on a simulated clock: state stores, watch store, sender over the Bot Connector transport, the integrator client. */
export interface WatchRig {
  clock: ReturnType<typeof FakeTimers.install>;
  t0: number;
  integrator: LocalIntegrator;
  connector: LocalConnector;
  watcher: RunWatcher;
  polls: Array<PollSummary & { at: number }>;
  /** When run k of project i ends. */
  endOf(i: number, k: number): number;
  /** The runs of project `i` that ended in [from, to). */
  endedBetween(i: number, from: number, to: number): string[];
  /** Every message posted, in the order the connector took them (none with `countOnly`). */
  posted(): Posted[];
  /** What was posted, as counts per run. */
  tally: DeliveryTally;
  /** Follows the leader lease as processLife does: the watcher polls while this instance leads. */
  lead(): void;
  /** How often the lease was gained and lost. */
  lease: { gained: number; lost: number; gainedAt: number };
  /** The Azurite of this rig (Azure only), to freeze. */
  azurite?: Azurite;
  /** Advances the simulated clock to `until`, `speed` simulated ms per real ms. */
  runTo(until: number): Promise<void>;
  /** Keeps the simulated clock running until `work` settles (work that waits on simulated timers). */
  tickUntil<T>(work: Promise<T>): Promise<T>;
  /** The size of the state database's files (SQLite: the file and its write-ahead log), in MB. */
  dbFilesMb(): number;
  close(): Promise<void>;
}

const realSetTimeout = globalThis.setTimeout;
const HISTORY_RUNS = 5;
const realWait = (ms: number) => new Promise<void>((r) => realSetTimeout(r, ms));
const silent = createLogger(process.env.BENCH_LOG === 'debug' ? 'debug' : 'silent');
/** Cards show moments to the second. */
const secondOf = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
const nameOf = (i: number) => `project-${i}`;
const indexOf = (name: string) => Number(name.slice('project-'.length));

/** Builds the stack; the clock is installed from here on (uninstalled by close). */
export async function startWatchRig(o: RigOptions): Promise<WatchRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-faults-'));
  let azurite: Azurite | undefined;
  let stores: StateStores;
  if (o.store === 'azure') {
    azurite = await launchAzurite();
    stores = boundedStores(await openAzureStateStores(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix() }), silent, 15), o.stateDeadlineMs);
  } else {
    stores = openSqliteStateStores(dir);
  }
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const t0 = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
  // Run k of project i starts at t0 + offset + k * every; a project's end times differ by the second, so a card's moments name its runs.
  const offsetOf = (i: number) => (i * 7919) % o.everyMs;
  const startOf = (i: number, k: number) => t0 + offsetOf(i) + k * o.everyMs;
  const endOf = (i: number, k: number) => startOf(i, k) + o.runMs + i * 13 + 7;
  const runsBefore = (i: number, now: number) => Math.floor((now - t0 - offsetOf(i)) / o.everyMs);
  // The run a card names by its end (to the second): no map of every run seen, which would grow all day.
  const runEndingAt = (i: number, iso: string): string[] => {
    const k = Math.round((Date.parse(iso) - endOf(i, 0)) / o.everyMs);
    return k >= -HISTORY_RUNS && secondOf(new Date(endOf(i, k)).toISOString()) === iso ? [`run${i}x${k}`] : [];
  };
  const executions = (name: string): ExecutionRecord[] => {
    const i = indexOf(name);
    const now = Date.now();
    const out: ExecutionRecord[] = [];
    // Runs before t0 give every project a history (and so a rhythm the poll plan follows); the watches start after them.
    for (let k = runsBefore(i, now); k >= -HISTORY_RUNS && out.length < 30; k--) {
      const start = startOf(i, k);
      const end = endOf(i, k);
      const done = end <= now;
      out.push({
        id: `run${i}x${k}`, projectName: name, trigger: 'schedule', status: done ? 'COMPLETED' : 'IMPORTING', submittedAt: new Date(start).toISOString(),
        startedAt: new Date(start).toISOString(), endedAt: done ? new Date(end).toISOString() : undefined, upserts: 100, errors: 0, legs: [],
      });
    }
    return out;
  };
  const integrator = await startLocalIntegrator({
    executions,
    schedule: (name) => {
      const i = indexOf(name);
      return { projectName: name, cadence: { every: o.everyMs / 60_000, unit: 'minutes' }, paused: false, nextRunAt: startOf(i, runsBefore(i, Date.now()) + 1) };
    },
  });
  const projectIds = new ProjectIdCache();
  for (let i = 0; i < o.projects; i++) projectIds.set(integrator.baseUrl, nameOf(i), nameOf(i));
  const clientWith = (tokens = staticTokenProvider()): DataIntegration => createDataIntegration({
    baseUrls: { bap: integrator.baseUrl, powerapps: integrator.baseUrl, integrator: integrator.baseUrl }, routes: ROUTES,
    tokens, timeoutMs: 15_000, maxRetries: 3, projectIds,
  });
  const client = clientWith();
  const { tokenService } = o;
  const integrationFor = tokenService
    ? async () => clientWith(userTokenProvider(SCOPES.integrator, async () => {
      if (tokenService.fails()) throw new Error('the Bot Framework token service answered 503');
      return { token: 'owner-token', expiresOn: new Date(Date.now() + 3_600_000) };
    }))
    : async () => client;

  const watches = new WatchStore(stores.watches);
  const owner = { aadObjectId: 'owner', name: 'Olga Owner', userId: '29:owner' };
  for (let c = 0; c < o.channels; c++) {
    const conversationId = `19:channel-${c}@thread.tacv2`;
    await stores.refs.save({ conversationId, channelId: 'msteams', conversationType: 'channel', serviceUrl, tenantId: 'tenant', reference: { channelId: 'msteams', serviceUrl, conversation: { id: conversationId }, bot: { id: '28:bot' } } });
  }
  for (let i = 0; i < o.projects; i++) {
    await watches.watch({ projectName: nameOf(i), conversationId: `19:channel-${i % o.channels}@thread.tacv2`, owner, since: new Date(t0 - 60_000).toISOString() });
  }

  const clock = FakeTimers.install({ now: t0 - 30_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const config = loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', START_SANDBOX: 'false' }, 'bench');
  const simulated = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const sender = new ProactiveSender({
    refs: stores.refs, transport: botConnectorTransport(createAdapter(config, silent), ''),
    conversationLimiter: new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, simulated), tenantLimiter: new SlidingWindowLimiter(TEAMS_TENANT_WINDOWS, simulated),
    onGone: async (id) => { await watches.markConversationGone(id); }, logger: silent,
  });
  const polls: WatchRig['polls'] = [];
  const watcher = new RunWatcher(
    { watches, sender, present: alertPresenter(), integrationFor, leader: stores.leadership, logger: silent, onPoll: (p) => { polls.push({ ...p, at: Date.now() }); } },
    { pollMs: 30_000, ...o.watcher },
  );
  const threadOf = new Map<string, string>();
  // What each message posted says, kept small as it comes (the connector's own record of calls is let go: a soak posts thousands).
  const posts: Posted[] = [];
  const tally = new DeliveryTally();
  connector.on('call', (c: ConnectorCall) => {
    if (c.kind === 'delete') return;
    const text = JSON.stringify(c.activity);
    const project = /project-(\d+)/.exec(text)?.[1];
    const moments = [...new Set((text.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z/g) ?? []).map(secondOf))];
    const runs = project === undefined ? [] : moments.flatMap((iso) => runEndingAt(Number(project), iso));
    const conversationId = c.kind === 'createConversation' ? c.conversationId : threadOf.get(c.replyToId ?? '') ?? c.conversationId;
    if (c.kind === 'createConversation') threadOf.set(c.activityId, c.conversationId);
    const post = { conversationId, at: c.at, runs, text };
    tally.add(post);
    if (!o.countOnly) posts.push(post);
    connector.calls.splice(0);
  });
  const lease = { gained: 0, lost: 0, gainedAt: 0 };
  // Real-time pacing: the clock follows real time at `speed`; a stalled process falls behind (at most 5 real ms a step) rather than jump.
  const paced = { real: performance.now(), simulated: Date.now() };
  const step = () => {
    if (!o.realTimePaced) return o.speed;
    const due = paced.simulated + (performance.now() - paced.real) * o.speed - Date.now();
    if (due > 5 * o.speed) Object.assign(paced, { real: performance.now(), simulated: Date.now() + 5 * o.speed });
    return Math.max(0, Math.min(due, 5 * o.speed));
  };
  const tickUntil = async <T>(work: Promise<T>): Promise<T> => {
    let settled = false;
    work.then(() => { settled = true; }, () => { settled = true; });
    while (!settled) {
      clock.tick(step());
      await realWait(1);
    }
    return work;
  };
  return {
    clock, t0, integrator, connector, watcher, polls, endOf,
    lease,
    azurite,
    lead: () => stores.leadership.start(() => { lease.gained++; lease.gainedAt = Date.now(); watcher.start(); }, () => { lease.lost++; void watcher.stop(); }),
    endedBetween: (i, from, to) => {
      const out: string[] = [];
      for (let k = -HISTORY_RUNS; endOf(i, k) < to; k++) if (endOf(i, k) >= from) out.push(`run${i}x${k}`);
      return out;
    },
    posted: () => posts,
    tally,
    async runTo(until) {
      while (Date.now() < until) {
        clock.tick(Math.min(step(), until - Date.now()));
        await realWait(1);
      }
    },
    tickUntil,
    dbFilesMb: () => fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0) / 2 ** 20,
    async close() {
      await tickUntil(Promise.all([stores.leadership.stop(), watcher.stop()]));
      clock.uninstall();
      await integrator.close();
      await closeConnector();
      await stores.close();
      await azurite?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
