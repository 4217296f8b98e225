/**
 * The hour-long scenario of `npm run bench:watcher hour`, on a simulated clock (@sinonjs/fake-timers):
 * 10,000 projects on hourly schedules starting at random minutes, 500 of them ending in one poll,
 * the real RunWatcher, WatchStore (SQLite), ProactiveSender (Teams' limits) and card renderer, a
 * Data Integrator of 40 ms x 16 at once and a Bot Connector of 100 ms with 10% 429, in simulated time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import FakeTimers from '@sinonjs/fake-timers';
import type { DataIntegration, Execution, Schedule } from '../src/integration/port';
import { DeliveryError, type ConversationTransport } from '../src/notifications/outbound';
import { ProactiveSender } from '../src/notifications/proactiveSender';
import { RunWatcher } from '../src/notifications/runWatcher';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS, TEAMS_TENANT_WINDOWS } from '../src/notifications/slidingWindowLimiter';
import { WatchStore } from '../src/notifications/watchStore';
import { alertPresenter } from '../src/render/runCards';
import { openSqliteStateStores } from '../src/storage/sqlite/sqliteStateStores';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-07T10:00:00.000Z');
/** Runs are counted from three hours before the start, so every project has a history. */
const BASE = T0 - 3 * HOUR;

/** A seeded generator, so two runs of the bench simulate the same hour. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One project's hourly runs: the k-th starts at BASE + offset + k hours and takes `durationMs` (±10%). */
interface Plan { offsetMs: number; durationMs: number }
const durationOf = (p: Plan, k: number) => Math.round(p.durationMs * (0.9 + ((k * 7919) % 21) / 100));

/** Figures of one simulated hour. */
export interface HourFigures {
  projects: number; polls: number; callsPerPoll: number; latencies: number[]; burstLatencyMax: number;
  firstAlertMs: number; expected: number; lost: number; duplicated: number; cycleMaxMs: number; peakInFlight: number; wallMs: number;
}

/** Simulates one hour of watching `projects` hourly projects; returns its figures. */
export async function simulateHour(projects: number, pollMs: number, sweep: { sweepEveryPolls: number; sweepMaxPerPoll?: number }, burst = 500): Promise<HourFigures> {
  const wallStart = Date.now();
  const rnd = random(42);
  const plans: Plan[] = Array.from({ length: projects }, (_, i) => (i < burst
    // The burst: 500 runs started at 10:20 that all end between 10:21:00 and 10:21:20, inside one poll.
    ? { offsetMs: 20 * 60_000 + rnd() * 10_000, durationMs: 55_000 }
    : { offsetMs: rnd() * HOUR, durationMs: 30_000 + rnd() * 120_000 }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-watcher-hour-'));
  const stores = openSqliteStateStores(dir);
  const watches = new WatchStore(stores.watches);
  const owner = { aadObjectId: 'owner', name: 'Owner', userId: '29:owner' };
  for (let i = 0; i < projects; i++) {
    const conversationId = `19:chat-${i}`;
    await stores.refs.save({ conversationId, channelId: 'msteams', conversationType: 'groupChat', serviceUrl: 'http://connector/', tenantId: 'tenant', reference: { channelId: 'msteams', serviceUrl: 'http://connector/', conversation: { id: conversationId } } });
    await watches.watch({ projectName: `project-${i}`, conversationId, owner, since: new Date(T0 - 60_000).toISOString() });
  }

  // The simulated clock from here on (the stores are opened on the real one).
  const clock = FakeTimers.install({ now: T0 - 60_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  let calls = 0;
  let busy = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const waiting: Array<() => void> = [];
  const call = async <T>(answer: () => T): Promise<T> => {
    calls++;
    peakInFlight = Math.max(peakInFlight, ++inFlight);
    if (busy >= 16) await new Promise<void>((r) => waiting.push(r));
    busy++;
    await new Promise((r) => setTimeout(r, 40));
    busy--;
    inFlight--;
    waiting.shift()?.();
    return answer();
  };
  const runsOf = (i: number): Execution[] => {
    const p = plans[i];
    const now = Date.now();
    const last = Math.floor((now - BASE - p.offsetMs) / HOUR);
    return [last, last - 1, last - 2].filter((k) => k >= 0).map((k) => {
      const start = BASE + p.offsetMs + k * HOUR;
      const end = start + durationOf(p, k);
      const done = end <= now;
      return {
        id: `run${i}x${k}`, projectName: `project-${i}`, status: done ? 'succeeded' : 'running', upserts: 2000, errorCount: 0, recordErrors: [],
        submittedAt: new Date(start).toISOString(), startedAt: new Date(start).toISOString(), endedAt: done ? new Date(end).toISOString() : undefined,
      } satisfies Execution;
    });
  };
  const scheduleOf = (i: number): Schedule => {
    const p = plans[i];
    const next = BASE + p.offsetMs + Math.ceil((Date.now() - BASE - p.offsetMs) / HOUR) * HOUR;
    return { projectName: `project-${i}`, recurrence: { kind: 'recurring', every: 1, unit: 'hours' }, paused: false, nextRunAt: new Date(next).toISOString() };
  };
  const index = (name: string) => Number(name.slice('project-'.length));
  const client = {
    listExecutions: (name: string) => call(() => runsOf(index(name))),
    getSchedule: (name: string) => call(() => scheduleOf(index(name))),
  } as unknown as DataIntegration;

  const delivered = new Map<string, number[]>();
  const rnd429 = random(7);
  const transport: ConversationTransport = {
    async send(_record, activity) {
      await new Promise((r) => setTimeout(r, 100));
      if (rnd429() < 0.1) throw new DeliveryError('Too many requests', 429, 'Throttled', 1000);
      for (const id of new Set(JSON.stringify(activity).match(/run\d+x\d+/g) ?? [])) delivered.set(id, [...(delivered.get(id) ?? []), Date.now()]);
      return { id: `m${calls}` };
    },
    async update() { await new Promise((r) => setTimeout(r, 100)); },
    async startThread() { throw new Error('not used: group chats have no threads'); },
  };
  // The limiters' default clock holds the real Date.now: give them the simulated one.
  const simulated = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const sender = new ProactiveSender({
    refs: stores.refs, transport, retry: { initialDelayMs: 200, maxDelayMs: 5000, maxAttempts: 8 },
    conversationLimiter: new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS, simulated), tenantLimiter: new SlidingWindowLimiter(TEAMS_TENANT_WINDOWS, simulated),
  });
  const cycles: number[] = [];
  const watcher = new RunWatcher(
    { watches, sender, present: alertPresenter(), integrationFor: async () => client, onPoll: (p) => { cycles.push(p.durationMs); } },
    { pollMs, ...sweep },
  );

  clock.setSystemTime(T0);
  watcher.start();
  // Ticks of 10 simulated ms, each followed by a real turn of the event loop so that promises settle in order.
  const flush = () => new Promise<void>((r) => setImmediate(r));
  const step = async (until: number) => { while (Date.now() < until) { clock.tick(10); await flush(); } };
  await step(T0 + HOUR);
  const callsInHour = calls;
  const pollsInHour = cycles.length;
  await step(T0 + HOUR + 2 * pollMs); // let the last runs of the hour be reported
  let stopped = false;
  void watcher.stop().then(() => { stopped = true; });
  while (!stopped) { clock.tick(10); await flush(); }
  clock.uninstall();

  const ended: Array<{ id: string; end: number }> = [];
  plans.forEach((p, i) => {
    for (let k = 0; BASE + p.offsetMs + k * HOUR <= T0 + HOUR; k++) {
      const end = BASE + p.offsetMs + k * HOUR + durationOf(p, k);
      if (end >= T0 - 60_000 && end <= T0 + HOUR) ended.push({ id: `run${i}x${k}`, end });
    }
  });
  const latencyOf = (r: { id: string; end: number }) => (delivered.get(r.id)?.[0] ?? Infinity) - r.end;
  const afterStart = ended.filter((r) => r.end >= T0);
  const burstRuns = afterStart.filter((r) => Number(/run(\d+)x/.exec(r.id)![1]) < burst && r.end < T0 + HOUR / 2);
  await stores.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    projects, polls: pollsInHour, callsPerPoll: callsInHour / Math.max(1, pollsInHour),
    latencies: afterStart.map(latencyOf).filter(Number.isFinite).sort((a, b) => a - b),
    burstLatencyMax: Math.max(...burstRuns.map(latencyOf)),
    firstAlertMs: Math.min(...[...delivered.values()].map((t) => t[0])) - T0,
    expected: ended.length, lost: ended.filter((r) => !delivered.has(r.id)).length,
    duplicated: [...delivered.values()].filter((t) => t.length > 1).length,
    cycleMaxMs: Math.max(...cycles), peakInFlight, wallMs: Date.now() - wallStart,
  };
}
