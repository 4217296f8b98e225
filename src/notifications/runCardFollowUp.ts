import type { Logger } from '../logger';
import { ProjectUnreadable } from './lookFailures';
import type { PollPlan } from './pollPlan';
import type { Watch, WatchStore } from './watchStore';

// The 2 s follow-up of a "Run now" started on this instance, on every instance whatever it leads. It only updates
// run cards and tells the poll plan nothing; the lead's polls catch the same runs too, also after a restart.

/** What the follow-up needs: the watches, the poll plan's pending runs and back-off, the clock. */
export interface RunCardFollowUpDeps {
  watches: Pick<WatchStore, 'get'>;
  plan: Pick<PollPlan, 'pending' | 'backedOff' | 'failed'>;
  now: () => Date;
  logger?: Logger;
}

/** Follows the runs started from chat on this instance until their cards show the result. */
export class RunCardFollowUp {
  private following = false;

  constructor(private readonly deps: RunCardFollowUpDeps) {}

  /**
   * One pass over the watches with a run started from chat still showing "running" (`look`: the watcher's look at one,
   * for its cards only); runs even while a poll is going, but not over a pass still going. A watch whose conversation is
   * gone is dropped, and a project that cannot be read waits out the poll's back-off.
   */
  async pass(look: (watch: Watch) => Promise<void>): Promise<void> {
    const { plan, now, logger } = this.deps;
    if (plan.pending.size === 0 || this.following) return;
    this.following = true;
    try {
      await Promise.all([...plan.pending].map(async (key) => {
        const [conversationId, ...name] = key.split('|');
        const projectName = name.join('|');
        if (plan.backedOff(projectName, now())) return;
        try {
          const watch = await this.deps.watches.get({ conversationId, projectName });
          if (!watch?.pendingRuns?.length || watch.goneAt) { plan.pending.delete(key); return; }
          await look(watch);
        } catch (err) {
          if (err instanceof ProjectUnreadable) plan.failed(projectName, now());
          logger?.warn({ err: err instanceof ProjectUnreadable ? err.failure : err, conversationId, projectName }, 'run card follow-up failed; tried again later');
        }
      }));
    } finally {
      this.following = false;
    }
  }
}
