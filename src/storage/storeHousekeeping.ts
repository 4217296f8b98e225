import type { FlowLocks } from '../locks/flowLocks';
import type { Logger } from '../logger';
import { SET_ASIDE_KEPT_DAYS } from './readableState';
import type { BotStateStore } from './stateStores';

/** How many expired locks one pass deletes at most (a pass a minute: far more than sign-ins add). */
const PRUNED_PER_PASS = 200;
/** How many values set aside past their retention one pass removes at most (one page of Azure's listing, deleted in a few rounds). */
const SET_ASIDE_REMOVED_PER_PASS = 200;
const DAY_MS = 86_400_000;

/** What the housekeeping prunes: the lock table, and the bot state values set aside (readableState.ts). */
export interface Pruned {
  flowLocks: Pick<FlowLocks, 'pruneExpired'>;
  storage: Pick<BotStateStore, 'pruneSetAside'>;
}

/**
 * The process's housekeeping of the stores. Every Teams sign-in leaves a lock nobody gives back (the SSO exchange's
 * claim), and every value that no longer read back is kept aside, with what a person chose in a setup in it: without
 * this both would grow for ever. It runs on every instance, whatever the leader lease says: a prune deletes only
 * what ran out and is harmless twice, and an instance that does not lead still takes sign-ins.
 */
export class StoreHousekeeping {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private readonly everyMs: number;
  private readonly now: () => Date;

  constructor(private readonly stores: Pruned, private readonly logger: Logger, { everyMs = 60_000, now = () => new Date() }: { everyMs?: number; now?: () => Date } = {}) {
    this.everyMs = everyMs;
    this.now = now;
  }

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

  /**
   * One pass at a time: a slow store skips the passes due meanwhile rather than piling them up. Both prunes at once,
   * each within the store's deadline, so a pass (and the shutdown that waits for it) takes no longer than one; a
   * failure of either is logged and leaves the other.
   */
  private prune(): void {
    const before = new Date(this.now().getTime() - SET_ASIDE_KEPT_DAYS * DAY_MS);
    this.pass ??= Promise.all([
      this.stores.flowLocks.pruneExpired(PRUNED_PER_PASS).then(
        (pruned) => { if (pruned > 0) this.logger.debug({ pruned }, 'expired locks pruned'); },
        (err: unknown) => this.logger.warn({ err }, 'expired locks not pruned; tried again next pass'),
      ),
      this.stores.storage.pruneSetAside(before, SET_ASIDE_REMOVED_PER_PASS).then(
        // Info: an operator who saw them set aside (a warning each) sees them go.
        (removed) => { if (removed > 0) this.logger.info({ removed, keptDays: SET_ASIDE_KEPT_DAYS }, 'bot state values set aside past their retention removed'); },
        (err: unknown) => this.logger.warn({ err }, 'bot state values set aside past their retention not removed; tried again next pass'),
      ),
    ]).then(() => undefined).finally(() => { this.pass = undefined; });
  }
}
