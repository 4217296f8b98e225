import type { Renewals } from '../../src/features/runs/runStarter';

/** A run start's renewals given by hand (`tick()`: each renewal under way, as the timer gives it every 20 s), instead of the process's timers. */
export function renewalsByHand(): { every: Renewals; tick(): Promise<void> } {
  const under = new Set<() => Promise<void>>();
  const every: Renewals = (_everyMs, renew) => {
    under.add(renew);
    return async () => { under.delete(renew); };
  };
  return { every, tick: async () => { for (const renew of under) await renew(); } };
}
