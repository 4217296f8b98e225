import { timeout, TimeoutStrategy } from 'cockatiel';
import { noAnswerWithin, STATE_DEADLINE_MS, timedOut } from './boundedStores';
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

/** `work` within `timeoutMs` (cockatiel's deadline, as elsewhere), cancelled past it: rejects with what went wrong. */
async function within<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(({ signal }) => work(signal));
  } catch (err) {
    throw timedOut(err) ? new Error(noAnswerWithin(timeoutMs)) : err;
  }
}

/** Readiness apart from liveness: the app is up (`status`), its state store answers, and (Azure) who leads. */
export function readinessOf(stores: StateStores, status: () => string, timeoutMs = STATE_DEADLINE_MS): () => Promise<Readiness> {
  return async () => {
    const { holder } = stores.leadership;
    // The lease lives in the same storage: its read has the same deadline, so a store that does not answer holds neither up.
    const [answered, held] = await Promise.allSettled([
      within(timeoutMs, () => stores.storage.readTexts([KEY])),
      holder ? within(timeoutMs, (signal) => holder.call(stores.leadership, signal)) : Promise.resolve(undefined),
    ]);
    const problem = answered.status === 'fulfilled' ? undefined
      : answered.reason instanceof Error ? answered.reason.message.split('\n')[0].slice(0, 200) : 'unreachable';
    const lease = holder
      ? { thisInstance: stores.leadership.isLeader(), holder: held.status === 'fulfilled' ? held.value! : 'unknown (the lease could not be read)' }
      : undefined;
    const store = { backend: stores.kind, answers: problem === undefined, ...(problem ? { problem } : {}) };
    return { ready: status() === 'ok' && problem === undefined, status: status(), store, ...(lease ? { lease } : {}) };
  };
}
