/**
 * `npm run bench:watcher [small|wide|dense|fanout|hour|dataflows]`: the run watcher with its real classes (RunWatcher, WatchStore on SQLite,
 * ProactiveSender with Teams' limiters, the card renderer) against a simulated Data Integrator
 * (latency, 16 requests served at once) and a simulated Bot Connector (latency, 10% of sends
 * answered 429 with Retry-After). Prints each figure next to its goal. Loopback-free: all in-process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DataIntegration, Execution, Schedule } from '../src/integration/port';
import { DeliveryError, type ConversationTransport } from '../src/notifications/outbound';
import { ProactiveSender } from '../src/notifications/proactiveSender';
import { RunWatcher, type PollSummary } from '../src/notifications/runWatcher';
import { WatchStore } from '../src/notifications/watchStore';
import { alertPresenter } from '../src/render/runCards';
import { openSqliteStateStores } from '../src/storage/sqlite/sqliteStateStores';
import { configSchema } from '../src/config';
import { simulateHour } from './watcherHour';
import { runDataflowBench } from './watcherDataflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 30_000);
const SERVICE = { latencyMs: 40, capacity: 16 };
const CONNECTOR = { latencyMs: 100, throttledShare: 0.1, retryAfterMs: 1000 };

/** The Data Integrator as the watcher sees it: each call waits for one of 16 slots, then 40 ms. */
class SimulatedService {
  readonly executions = new Map<string, Execution[]>();
  calls = 0;
  outstanding = 0;
  peakOutstanding = 0;
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  private async call<T>(answer: () => T): Promise<T> {
    this.calls++;
    this.peakOutstanding = Math.max(this.peakOutstanding, ++this.outstanding);
    if (this.busy >= SERVICE.capacity) await new Promise<void>((r) => this.waiting.push(r));
    this.busy++;
    try {
      await sleep(SERVICE.latencyMs);
      return answer();
    } finally {
      this.busy--;
      this.outstanding--;
      this.waiting.shift()?.();
    }
  }

  client(): DataIntegration {
    const schedule = (projectName: string): Schedule => ({ projectName, recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, paused: false });
    return {
      listExecutions: (p: string) => this.call(() => this.executions.get(p) ?? []),
      getSchedule: (p: string) => this.call(() => schedule(p)),
    } as unknown as DataIntegration;
  }

  finishRun(projectName: string, id: string, at: number): void {
    const iso = new Date(at).toISOString();
    const run: Execution = { id, projectName, status: 'succeeded', upserts: 2000, errorCount: 0, recordErrors: [], submittedAt: iso, startedAt: new Date(at - 9000).toISOString(), endedAt: iso };
    this.executions.set(projectName, [run, ...(this.executions.get(projectName) ?? [])]);
  }
}

/** The Bot Connector: 100 ms a send, one in ten answered 429 with Retry-After. Records what arrived. */
function simulatedConnector(delivered: Map<string, number[]>): ConversationTransport {
  return {
    async send(_record, activity) {
      await sleep(CONNECTOR.latencyMs);
      if (Math.random() < CONNECTOR.throttledShare) throw new DeliveryError('Too many requests', 429, 'Throttled', CONNECTOR.retryAfterMs);
      for (const id of new Set(JSON.stringify(activity).match(/run\d+x\d+/g) ?? [])) delivered.set(id, [...(delivered.get(id) ?? []), Date.now()]);
      return { id: `m${Math.random()}` };
    },
    async update() { await sleep(CONNECTOR.latencyMs); },
    async startThread() { throw new Error('not used: group chats have no threads'); },
  };
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const line = (label: string, value: string, goal: string, ok?: boolean) =>
  console.log(`  ${label.padEnd(36)} ${value.padStart(12)}   goal ${goal}${ok === undefined ? '' : ok ? '   ok' : '   MISSED'}`);

interface Scenario { watches: number; conversations: number; cycles: number; newRunShare: number; burst?: boolean }

async function run(s: Scenario): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-watcher-'));
  const stores = openSqliteStateStores(dir);
  const watches = new WatchStore(stores.watches);
  const service = new SimulatedService();
  const delivered = new Map<string, number[]>();
  const finishedAt = new Map<string, number>();
  const owner = { aadObjectId: 'owner', name: 'Owner', userId: '29:owner' };
  for (let c = 0; c < s.conversations; c++) {
    const conversationId = `19:chat-${c}`;
    await stores.refs.save({ conversationId, channelId: 'msteams', conversationType: 'groupChat', serviceUrl: 'http://connector/', tenantId: 'tenant', reference: { channelId: 'msteams', serviceUrl: 'http://connector/', conversation: { id: conversationId } } });
  }
  for (let w = 0; w < s.watches; w++) {
    await watches.watch({ projectName: `project-${w}`, conversationId: `19:chat-${w % s.conversations}`, owner, since: new Date(Date.now() - 60_000).toISOString() });
  }
  const sender = new ProactiveSender({ refs: stores.refs, transport: simulatedConnector(delivered), retry: { initialDelayMs: 200, maxDelayMs: 5000, maxAttempts: 8 } });
  const client = service.client();
  const polls: Array<PollSummary & { calls: number }> = [];
  let callsAtStart = 0;
  const watcher = new RunWatcher(
    { watches, sender, present: alertPresenter(), integrationFor: async () => client, onPoll: (p) => { polls.push({ ...p, calls: service.calls - callsAtStart }); callsAtStart = service.calls; } },
    // Runs here end at random, on no schedule: only a sweep at every poll (the old behaviour) can see them within a poll.
    { pollMs: POLL_MS, sweepEveryPolls: 1 },
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  watcher.start();
  let runs = 0;
  for (let cycle = 1; cycle < s.cycles; cycle++) {
    const due = started + cycle * POLL_MS;
    const count = Math.round(s.watches * s.newRunShare);
    for (let i = 0; i < count; i++) {
      const project = s.burst ? i : Math.floor(Math.random() * s.watches);
      const at = s.burst ? due - 1000 : due - POLL_MS + Math.random() * (POLL_MS - 1000);
      setTimeout(() => { const id = `run${project}x${++runs}`; finishedAt.set(id, Date.now()); service.finishRun(`project-${project}`, id, Date.now()); }, Math.max(0, at - Date.now()));
    }
    await sleep(Math.max(0, due + 500 - Date.now()));
  }
  // Let the last cycle's alerts drain (bounded), then stop.
  const drainUntil = Date.now() + 120_000;
  while (Date.now() < drainUntil && [...finishedAt.keys()].some((id) => !delivered.has(id))) await sleep(200);
  const drainedAt = Date.now();
  await watcher.stop();
  loop.disable();
  const rss = process.memoryUsage().rss;
  const latencies = [...finishedAt].flatMap(([id, at]) => (delivered.get(id) ?? []).slice(0, 1).map((t) => t - at)).sort((a, b) => a - b);
  const lost = [...finishedAt.keys()].filter((id) => !delivered.has(id)).length;
  const duplicated = [...delivered.values()].filter((times) => times.length > 1).length;
  const active = polls.slice(1);
  const cycleMax = Math.max(...active.map((p) => p.durationMs));
  const callsPerProject = Math.max(...active.map((p) => p.calls / s.watches));
  const alertsDue = Math.round(s.watches * s.newRunShare);
  console.log(`\n${s.watches} watches over ${s.conversations} conversations, ${s.cycles - 1} cycles with ${Math.round(s.newRunShare * 100)}% new runs${s.burst ? ' at once' : ''} (poll every ${POLL_MS / 1000} s)`);
  line('first poll (reads every schedule too)', `${((polls[0]?.durationMs ?? 0) / 1000).toFixed(1)} s`, '(reported)');
  line('cycle time (checks, max after the first)', `${(cycleMax / 1000).toFixed(1)} s`, `<= ${POLL_MS / 1000} s`, cycleMax <= POLL_MS);
  line('service calls per project per cycle', callsPerProject.toFixed(2), '<= 1', callsPerProject <= 1);
  line('peak requests in flight', String(service.peakOutstanding), '<= 16 (the configured bound)', service.peakOutstanding <= 16);
  line('RSS', `${Math.round(rss / 1e6)} MB`, '< 300 MB', rss < 300e6);
  line('longest event-loop block', `${Math.round(loop.max / 1e6)} ms`, '<= 100 ms', loop.max / 1e6 <= 100);
  const latencyGoal = POLL_MS + 2000;
  const latencyMax = latencies.at(-1) ?? 0;
  line('alert latency p50 / p95', `${(pct(latencies, 50) / 1000).toFixed(1)} / ${(pct(latencies, 95) / 1000).toFixed(1)} s`, '(reported)');
  line('alert latency max', `${(latencyMax / 1000).toFixed(1)} s`, `<= ${latencyGoal / 1000} s when <= 100 due${alertsDue > 100 ? ` (${alertsDue} due: not held to it)` : ''}`, alertsDue > 100 ? undefined : latencyMax <= latencyGoal);
  if (s.burst) line(`fan-out of ${finishedAt.size} alerts`, `${((drainedAt - (started + POLL_MS)) / 1000).toFixed(1)} s`, '<= 40 s', drainedAt - (started + POLL_MS) <= 40_000);
  line('alerts lost / duplicated', `${lost} / ${duplicated}`, '0 / 0', lost === 0 && duplicated === 0);
  await stores.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** 10,000 hourly projects over a simulated hour: the schedule-aware polling against the goals of issue 20. */
async function hour(label: string, sweep: { sweepEveryPolls: number; sweepMaxPerPoll?: number }, comparison = false): Promise<void> {
  const pollMs = 30_000;
  const h = await simulateHour(Number(process.env.BENCH_PROJECTS ?? 10_000), pollMs, sweep);
  const share = h.callsPerPoll / h.projects;
  const max = h.latencies.at(-1) ?? 0;
  const goal = pollMs + 5000;
  console.log(`\n${h.projects} projects on hourly schedules at random minutes, 500 ending in one poll; a simulated hour (${h.polls} polls of 30 s, ${label}: sweep every ${sweep.sweepEveryPolls} polls, at most ${sweep.sweepMaxPerPoll ?? 'any number of'} projects a poll; ${(h.wallMs / 1000).toFixed(0)} s of real time)`);
  // The goal is the defaults'; a comparison run only shows what the sweep's budget saves.
  line('service calls per poll, hour average', `${Math.round(h.callsPerPoll)} (${(share * 100).toFixed(1)}%)`, comparison ? '(comparison: the 5% goal is for the defaults)' : '<= 5% of the projects', comparison ? undefined : share <= 0.05);
  line('alert latency p50 / p95', `${(pct(h.latencies, 50) / 1000).toFixed(1)} / ${(pct(h.latencies, 95) / 1000).toFixed(1)} s`, '(reported)');
  line('alert latency max (run ended -> accepted)', `${(max / 1000).toFixed(1)} s`, `<= ${goal / 1000} s, every alert`, max <= goal);
  line('  alerts over that', `${h.latencies.filter((l) => l > goal).length} of ${h.latencies.length}`, '0', h.latencies.every((l) => l <= goal));
  line('  of the 500 ending in one poll', `${(h.burstLatencyMax / 1000).toFixed(1)} s`, `<= ${goal / 1000} s`, h.burstLatencyMax <= goal);
  line('first alert after a fresh start', `${(h.firstAlertMs / 1000).toFixed(1)} s`, `<= ${pollMs / 1000} s`, h.firstAlertMs <= pollMs);
  line('longest poll (simulated)', `${(h.cycleMaxMs / 1000).toFixed(1)} s`, `<= ${pollMs / 1000} s`, h.cycleMaxMs <= pollMs);
  line('peak requests in flight', String(h.peakInFlight), '<= 16 (the configured bound)', h.peakInFlight <= 16);
  line(`alerts lost / duplicated (of ${h.expected})`, `${h.lost} / ${h.duplicated}`, '0 / 0', h.lost === 0 && h.duplicated === 0);
}

/** 2,000 watched dataflows in 20 environments, 10 % refreshing per poll: the goals of issue 27. */
async function dataflows(): Promise<void> {
  const d = await runDataflowBench({ dataflows: 2000, environments: 20, share: 0.1, cycles: 3, pollMs: POLL_MS });
  const max = d.latencies.at(-1) ?? 0;
  console.log(`\n${d.dataflows} watched dataflows in ${d.environments} environments, ${d.polls} polls of ${POLL_MS / 1000} s, ${d.refreshes} refreshes (10% a poll)`);
  line('service calls per poll, max', `${d.maxCallsPerPoll} (${d.maxAlertsPerPoll} alerted)`, '<= 1 per environment + 1 per alerted refresh (+ 1 per environment every 15 min: the listing)', d.callGoalMet);
  line('alert latency p50 / p95', `${(pct(d.latencies, 50) / 1000).toFixed(1)} / ${(pct(d.latencies, 95) / 1000).toFixed(1)} s`, '(reported)');
  line('alert latency max (refresh ended -> accepted)', `${(max / 1000).toFixed(1)} s`, `<= ${(POLL_MS + 5000) / 1000} s`, max <= POLL_MS + 5000);
  line('RSS', `${Math.round(d.rss / 1e6)} MB`, '< 300 MB', d.rss < 300e6);
  line('longest event-loop block', `${Math.round(d.loopMaxMs)} ms`, '<= 100 ms', d.loopMaxMs <= 100);
  line('alerts lost / duplicated', `${d.lost} / ${d.duplicated}`, '0 / 0', d.lost === 0 && d.duplicated === 0);
}

async function main(): Promise<void> {
  console.log(`bench:watcher on ${os.cpus().length} cores, Node ${process.version}; service ${SERVICE.latencyMs} ms x ${SERVICE.capacity} at once; connector ${CONNECTOR.latencyMs} ms, ${CONNECTOR.throttledShare * 100}% 429`);
  const only = process.argv[2];
  const scenarios: Record<string, Scenario> = {
    small: { watches: 1000, conversations: 1000, cycles: 3, newRunShare: 0.05 },
    wide: { watches: 10_000, conversations: 10_000, cycles: 3, newRunShare: 0.05 },
    dense: { watches: 10_000, conversations: 1000, cycles: 3, newRunShare: 0.05 },
    fanout: { watches: 1000, conversations: 1000, cycles: 2, newRunShare: 1, burst: true },
  };
  for (const [name, s] of Object.entries(scenarios)) if (!only || only === name) await run(s);
  if (only === 'hour' || !only) {
    // At the defaults; then without the sweep's budget, where the sweep alone costs a tenth of the projects per poll.
    const defaults = configSchema.parse({});
    await hour('the defaults', { sweepEveryPolls: defaults.RUN_SWEEP_EVERY_POLLS, sweepMaxPerPoll: defaults.RUN_SWEEP_MAX_PER_POLL });
    await hour('unbudgeted', { sweepEveryPolls: defaults.RUN_SWEEP_EVERY_POLLS }, true);
  }
  if (only === 'dataflows' || !only) await dataflows();
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
