import { isTaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import type { StateStores } from './stateStores';

/** What /readyz answers: whether this instance should get traffic, and why not. */
export interface Readiness {
  ready: boolean;
  status: string;
  store: { backend: 'sqlite' | 'azure'; answers: boolean; problem?: string };
  /** Azure mode: who holds the leader lease (the instance that polls runs and sends alerts). */
  lease?: { thisInstance: boolean; holder: string };
}

const KEY = 'readyz-probe';

/** A cheap read of the state store within `timeoutMs` (cockatiel's deadline, as elsewhere): rejects with what went wrong. */
async function probe(stores: StateStores, timeoutMs: number): Promise<void> {
  try {
    await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(() => stores.storage.read([KEY]));
  } catch (err) {
    throw isTaskCancelledError(err) ? new Error(`no answer within ${timeoutMs} ms`) : err;
  }
}

/** Readiness apart from liveness: the app is up (`status`), its state store answers, and (Azure) who leads. */
export function readinessOf(stores: StateStores, status: () => string, timeoutMs = 3000): () => Promise<Readiness> {
  return async () => {
    let problem: string | undefined;
    await probe(stores, timeoutMs).catch((err: unknown) => { problem = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : 'unreachable'; });
    const lease = stores.leadership.holder
      ? { thisInstance: stores.leadership.isLeader(), holder: await stores.leadership.holder().catch(() => 'unknown (the lease could not be read)') }
      : undefined;
    const store = { backend: stores.kind, answers: problem === undefined, ...(problem ? { problem } : {}) };
    return { ready: status() === 'ok' && problem === undefined, status: status(), store, ...(lease ? { lease } : {}) };
  };
}
