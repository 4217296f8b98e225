import { InFlight } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import type { LifeParts } from '../../src/processLife';

/**
 * The parts a ProcessLife orders, each doing nothing (an instance that never leads, no turn, silent), with `given`
 * in their place: a test names only the parts whose order or effect it checks.
 */
export function lifeParts(given: Partial<LifeParts> = {}): LifeParts {
  return {
    leadership: { start: () => undefined, isLeader: () => false, stop: async () => undefined },
    watcher: { start: () => undefined, follow: () => undefined, stop: async () => undefined },
    reminders: { start: () => undefined, stop: () => undefined },
    housekeeping: { start: () => undefined, stop: async () => undefined },
    background: { idle: async () => undefined },
    inFlight: new InFlight(),
    stores: { close: async () => undefined },
    logger: createLogger('silent'),
    ...given,
  };
}
