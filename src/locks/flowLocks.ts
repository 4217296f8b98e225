/**
 * Short leases on a key (one person's setup flow in one conversation), so that two turns of that
 * flow never run at once, in one process or across instances. A lease runs out by itself after
 * `ttlMs`, so a crashed turn never blocks its flow for long.
 */
export interface FlowLocks {
  /** Takes the lock for `owner`, or extends it by `ttlMs` when `owner` holds it; false when another owner holds an unexpired one. */
  tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lock back if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * Deletes at most `max` locks that ran out (a lock nobody gave back: a Teams SSO exchange claim, a crashed turn's);
   * returns how many. A lock taken again meanwhile stays. Housekeeping: harmless on two instances at once.
   */
  pruneExpired(max: number): Promise<number>;
}
