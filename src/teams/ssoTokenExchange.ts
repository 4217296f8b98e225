import { randomUUID } from 'node:crypto';
import { Middleware, Storage, StoreItems, TeamsSSOTokenExchangeMiddleware } from 'botbuilder';
import type { FlowLocks } from '../locks/flowLocks';

/** How long an exchange id stays claimed: Teams sends the same id from every client within seconds. */
const CLAIM_TTL_MS = 10 * 60_000;

/**
 * The Storage botbuilder's SSO middleware deduplicates with: it writes `{ eTag: <exchange id> }` under a
 * key of its own and expects the first write to succeed and every later one to fail with an "eTag
 * conflict". The bot's state storages (SQLite, Blob) both refuse a write with an eTag to a missing item,
 * which would drop the first exchange too; the flow locks are create-if-absent on both backends, across
 * instances, so each key is claimed there once.
 */
export function exchangeClaims(locks: FlowLocks, ttlMs = CLAIM_TTL_MS): Storage {
  return {
    read: async () => ({}),
    async write(changes: StoreItems) {
      for (const key of Object.keys(changes)) {
        if (!(await locks.tryAcquire(`sso-exchange/${key}`, randomUUID(), ttlMs))) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
      }
    },
    delete: async () => undefined,
  };
}

/**
 * Teams SSO: exchanges the token Teams sends (`signin/tokenExchange`) through the OAuth connection; a
 * failed exchange is answered 412, so Teams shows the sign-in card instead; the same exchange from the
 * person's other clients (or reaching another instance) is answered once.
 */
export function ssoTokenExchange(locks: FlowLocks, connectionName: string): Middleware {
  return new TeamsSSOTokenExchangeMiddleware(exchangeClaims(locks), connectionName);
}
