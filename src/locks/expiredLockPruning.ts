import type { Logger } from '../logger';
import type { FlowLocks } from './flowLocks';

/** How many expired locks one pass deletes at most (a pass a minute: far more than sign-ins add). */
const PRUNED_PER_PASS = 200;

/**
 * The process's housekeeping of the lock table: every Teams sign-in leaves a lock nobody gives back (the SSO
 * exchange's claim), so without this the table would gain a row per sign-in forever. It runs on every instance,
 * whatever the leader lease says: a prune deletes only what ran out and is harmless twice, and an instance that
 * does not lead still takes sign-ins.
 */
export class ExpiredLockPruning {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;

  constructor(private readonly locks: Pick<FlowLocks, 'pruneExpired'>, private readonly logger: Logger, private readonly everyMs = 60_000) {}

  /** Prunes now (a process that lives less than a pass still prunes once), then every `everyMs`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.prune(), this.everyMs);
    this.prune();
  }

  /** No more passes; resolves once the one in progress has finished, so the stores can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** One pass at a time: a slow store skips the passes due meanwhile rather than piling them up. */
  private prune(): void {
    this.pass ??= this.locks.pruneExpired(PRUNED_PER_PASS).then(
      (pruned) => { if (pruned > 0) this.logger.debug({ pruned }, 'expired locks pruned'); },
      (err: unknown) => this.logger.warn({ err }, 'expired locks not pruned; tried again next pass'),
    ).finally(() => { this.pass = undefined; });
  }
}
