import type fc from 'fast-check';
import type { WatchRecords } from '../../src/notifications/watchStore';

/** The records (of either kind of watch) with some methods answered by `over`: a test holds a writer between its read and its write. */
export function watchRecordsWith<R extends object>(records: R, over: Partial<R>): R {
  return new Proxy(records, {
    get(target, name) {
      if (Object.hasOwn(over, name)) return over[name as keyof R];
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type Method = (...args: never[]) => Promise<unknown>;

/**
 * The records of one instance, each answer of `get`, `put` and `remove` (where there is one) handed back when the
 * scheduler says: a writer can be held between its read and its write while another instance writes.
 */
export function heldBy<R extends { get: Method; put: Method; remove?: Method }>(s: fc.Scheduler, records: R): R {
  const held = (name: 'get' | 'put' | 'remove') => {
    const method = records[name];
    return method && s.scheduleFunction((...args: Parameters<typeof method>) => method.apply(records, args));
  };
  return watchRecordsWith(records, { get: held('get'), put: held('put'), ...(records.remove ? { remove: held('remove') } : {}) } as Partial<R>);
}

/**
 * Holds the first write of a new watch of `projectName` (its read found none) until `release()`, as a
 * slow store would: `reached` resolves once that writer has read and waits to write.
 */
export function holdFirstNewWatch(projectName: string) {
  let reachedNow!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => { reachedNow = resolve; });
  const released = new Promise<void>((resolve) => { release = resolve; });
  let armed = true;
  const around = (records: WatchRecords): WatchRecords => watchRecordsWith<WatchRecords>(records, {
    async put(watch, version) {
      if (armed && version === undefined && watch.projectName === projectName) {
        armed = false;
        reachedNow();
        await released;
      }
      return records.put(watch, version);
    },
  });
  return { around, reached, release };
}
