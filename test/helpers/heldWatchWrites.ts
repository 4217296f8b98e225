import type { WatchRecords } from '../../src/notifications/watchStore';

/** The records with `get` and `put` answered by `over`: a test holds a writer between its read and its write. */
export function watchRecordsWith(records: WatchRecords, over: Pick<WatchRecords, 'get' | 'put'>): WatchRecords {
  return {
    ...over,
    list: (conversationId) => records.list(conversationId),
    reported: (key, ids) => records.reported(key, ids),
    markReported: (key, ids, at) => records.markReported(key, ids, at),
    pruneReports: (before) => records.pruneReports(before),
  };
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
  const around = (records: WatchRecords): WatchRecords => watchRecordsWith(records, {
    get: (key) => records.get(key),
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
