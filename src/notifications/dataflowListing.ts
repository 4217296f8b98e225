import type { DataflowRefresh } from '../integration/port';
import type { DataflowWatch } from './dataflowWatchStore';

const MINUTE_MS = 60_000;

/** When a watched dataflow that its environment no longer lists counts as deleted. */
export interface DataflowListingRules {
  /** Each environment's dataflows are listed at most this often: one more query, since the refresh query cannot tell a deletion from a quiet spell. */
  listEveryMs: number;
  /** Left out of two complete listings at least this far apart, each listing other dataflows: deleted. */
  goneAmongOthersMs: number;
  /** Left out of every complete listing for this long, while the environment listed no dataflow at all: deleted. */
  goneWhenNoneListedMs: number;
}

/** A listing every quarter of an hour; deleted after two listings a quarter of an hour apart, or after a day of empty ones. */
export const DATAFLOW_LISTING: DataflowListingRules = { listEveryMs: 15 * MINUTE_MS, goneAmongOthersMs: 15 * MINUTE_MS, goneWhenNoneListedMs: 24 * 60 * MINUTE_MS };

/** What one poll makes of a watched dataflow's presence: the watch's `missing` from now on, and whether the dataflow is gone. */
export interface Presence {
  missing?: DataflowWatch['missing'];
  gone: boolean;
}

/**
 * Whether a watched dataflow still exists, from `listed`: every dataflow id of a complete listing of its environment
 * read this poll (undefined when none was due or the read failed: a failed, partial or filtered read is never one).
 *
 * One listing that leaves it out only starts the count (`missing`). It is gone once a second complete listing, at
 * least `goneAmongOthersMs` later, still leaves it out while listing other dataflows: the bot could read the table
 * both times, so the row is not there. An environment that lists no dataflow at all is a weaker sign: it is also
 * what the bot sees when an admin cut its role's read to its own rows or the answer is wrong, and it would end every
 * watch of the environment at once; so an empty listing alone ends a watch only after `goneWhenNoneListedMs` of
 * listings that all left it out (the card then says what to check if it still exists). A refresh of it that ended
 * after it was first missed proves it is there, whatever a listing says (a role that shows the history but not the
 * dataflow's row). Pure.
 */
export function presenceOf(watch: DataflowWatch, listed: ReadonlySet<string> | undefined, mine: readonly DataflowRefresh[], now: Date, rules: DataflowListingRules = DATAFLOW_LISTING): Presence {
  const seenSince = watch.missing && mine.some((r) => Date.parse(r.endedAt) > Date.parse(watch.missing!.since));
  const prior = seenSince ? undefined : watch.missing;
  if (!listed) return { missing: prior, gone: false };
  if (listed.has(watch.dataflowId)) return { gone: false };
  const t = now.getTime();
  const others = listed.size > 0;
  const gone = (others && prior?.amongOthers !== undefined && t - Date.parse(prior.amongOthers) >= rules.goneAmongOthersMs)
    || (prior !== undefined && t - Date.parse(prior.since) >= rules.goneWhenNoneListedMs);
  const amongOthers = prior?.amongOthers ?? (others ? now.toISOString() : undefined);
  return { missing: { since: prior?.since ?? now.toISOString(), ...(amongOthers ? { amongOthers } : {}) }, gone };
}
