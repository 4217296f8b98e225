import type { TurnContext } from 'botbuilder';
import { RunStarter } from '../../../src/features/runs/runStarter';
import type { DataIntegration } from '../../../src/integration/port';
import { RunStartGate } from '../../../src/features/runs/runStartGate';
import { WatchStore } from '../../../src/notifications/watchStore';
import type { StateStores } from '../../../src/storage/stateStores';
import { ADA, BOB, CHANNEL, Person, TENANT } from '../../helpers/activities';
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
