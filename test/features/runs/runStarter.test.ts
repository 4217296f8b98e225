import type { TurnContext } from 'botbuilder';
import { RunStarter, timerRenewals } from '../../../src/features/runs/runStarter';
import type { DataIntegration } from '../../../src/integration/port';
import { RunStartGate } from '../../../src/features/runs/runStartGate';
import { WatchStore } from '../../../src/notifications/watchStore';
import type { StateStores } from '../../../src/storage/stateStores';
import { ADA, BOB, CHANNEL, Person, TENANT } from '../../helpers/activities';
import { renewalsByHand } from '../../helpers/handRenewals';
import { azureBackend, sqliteBackend, StateBackend } from '../../helpers/stateBackends';
import { said as saidOf } from '../../../src/words/words';

const PROJECT = 'Starter sync';

/** A turn in the channel by `who`: what the starter reads of it, and the cards it posts (each with a message id). */
function turn(who: Person, said: string[]): TurnContext {
  let n = 0;
  const activity = { from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId }, conversation: { id: CHANNEL, tenantId: TENANT } };
  return {
    activity,
    sendActivity: async (a: { type?: string; text?: string }) => {
      if (typeof a === 'object' && a.type === 'message') said.push('card');
      return { id: `card-${who.id}-${++n}` };
    },
  } as unknown as TurnContext;
}

/** A service that takes 80 ms to start a run and counts the runs it started. */
function countingService(): DataIntegration & { runs: number } {
  const di = { runs: 0, runProject: async () => { await new Promise((r) => setTimeout(r, 80)); di.runs++; return `exec-${di.runs}`; } };
  return di as unknown as DataIntegration & { runs: number };
}

const starterOver = (stores: StateStores) =>
  new RunStarter(new WatchStore(stores.watches), { starting: () => ({ done: () => undefined }) }, new RunStartGate(), stores.flowLocks);

describe.each([sqliteBackend(), azureBackend()])('one starter for every run path, one run per project at a time ($name)', (backend: StateBackend) => {
  let stores: StateStores;
  let other: StateStores;
  beforeAll(async () => {
    const opened = await backend.open();
    stores = opened.stores;
    other = await opened.again();
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await stores?.close();
    await backend.stop();
  });

  test('three concurrent starts, by two people on two instances, start one run; the others are told it is still going', async () => {
    const di = countingService();
    const said: string[] = [];
    const [a, b] = [starterOver(stores), starterOver(other)];
    const results = await Promise.all([a.start(turn(ADA, said), di, PROJECT), b.start(turn(BOB, said), di, PROJECT), b.start(turn(ADA, said), di, PROJECT)]);
    expect(di.runs).toBe(1);
    expect(results.map((r) => r.kind).sort()).toEqual(['started', 'stillGoing', 'stillGoing']);
    expect(results.find((r) => r.kind === 'stillGoing')!.said).toEqual(saidOf('run.stillGoing', { project: PROJECT }));
    expect(said).toEqual(['card']); // one "running" card

    // While that run is going, a later click on either instance starts nothing either.
    expect((await a.start(turn(BOB, said), di, PROJECT)).kind).toBe('stillGoing');
    expect(di.runs).toBe(1);
  }, 60_000);

  test('a start still waiting for the service after more than a minute (time-outs, Retry-After) keeps the project: another click on another instance starts no second run', async () => {
    let runs = 0;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => { answer = resolve; });
    let called!: () => void;
    const calling = new Promise<void>((resolve) => { called = resolve; });
    // The first run's start waits for the service's answer; a second would be answered at once.
    const slow = { runProject: async () => { const run = ++runs; if (run === 1) { called(); await answered; } return `exec-${run}`; } } as unknown as DataIntegration;
    // Only the clock moves (the stores' claims are read with it, so they are opened after it): 40 s, a renewal, 40 s more.
    jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const opened = await backend.open();
    const two = await opened.again();
    try {
      const renewals = renewalsByHand();
      const first = new RunStarter(new WatchStore(opened.stores.watches), { starting: () => ({ done: () => undefined }) }, new RunStartGate(), opened.stores.flowLocks, undefined, renewals.every);
      const going = first.start(turn(ADA, []), slow, PROJECT);
      await calling;
      jest.setSystemTime(Date.now() + 40_000);
      await renewals.tick();
      jest.setSystemTime(Date.now() + 40_000);
      const again = await starterOver(two).start(turn(BOB, []), slow, PROJECT);
      answer();
      expect([(await going).kind, again.kind, runs]).toEqual(['started', 'stillGoing', 1]);
    } finally {
      jest.useRealTimers();
      await two.close();
      await opened.stores.close();
    }
  }, 60_000);

  test('once the watcher has reported the run, the next click starts a new one', async () => {
    const di = countingService();
    const watches = new WatchStore(stores.watches);
    const key = { projectName: `${PROJECT} 2`, conversationId: CHANNEL };
    const first = await starterOver(stores).start(turn(ADA, []), di, key.projectName);
    expect(first.kind).toBe('started');
    await watches.removePendingRun(key, first.kind === 'started' ? first.executionId : '');
    expect((await starterOver(other).start(turn(BOB, []), di, key.projectName)).kind).toBe('started');
    expect(di.runs).toBe(2);
  }, 60_000);
});

test('a start\'s renewals on the process\'s timers come one at a time, every third of a claim, and none lands after the start ended', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const done: number[] = [];
    let under = 0;
    let most = 0;
    // A renewal whose store answers slowly (30 s): the next one waits for it.
    const stop = timerRenewals(20_000, async () => {
      most = Math.max(most, ++under);
      await new Promise((r) => setTimeout(r, 30_000));
      under--;
      done.push(Date.now());
    });
    await jest.advanceTimersByTimeAsync(45_000);
    let stopped = false;
    const stopping = stop().then(() => { stopped = true; });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false); // the renewal asked for at 40 s, after the first one, has not landed yet
    await jest.advanceTimersByTimeAsync(60_000);
    await stopping;
    expect({ renewals: done.length, most }).toEqual({ renewals: 2, most: 1 });
  } finally {
    jest.useRealTimers();
  }
});
