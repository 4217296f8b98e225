import Database from 'better-sqlite3';
import path from 'node:path';
import { createLogger } from '../../src/logger';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { StoreHousekeeping } from '../../src/storage/storeHousekeeping';
import { exchangeClaims } from '../../src/teams/ssoTokenExchange';
import type { StateStores } from '../../src/storage/stateStores';
import { tempDataDir } from '../helpers/harness';
import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

/**
 * Every Teams SSO token exchange claims a lock under its own key that is never given back (so a later copy of the
 * exchange is refused): without pruning, the locks table (Azure: the `locks` table's one partition) gained a row per
 * sign-in, forever. The process's housekeeping prunes the locks that ran out, a bounded number per pass.
 */
describe.each([sqliteBackend(), azureBackend()])('expired locks on $name', (backend: StateBackend) => {
  let stores: StateStores;
  beforeEach(async () => ({ stores } = await backend.open()));
  afterEach(async () => { await stores.close(); });
  afterAll(() => backend.stop());

  test('are pruned, a bounded number per pass; a live lock and one taken again stay', async () => {
    const claims = exchangeClaims(stores.flowLocks, 1); // 1 ms: run out by the prune
    for (let i = 0; i < 25; i++) await claims.write({ [`msteams/a:ada/exchange-${i}`]: { eTag: `exchange-${i}` } });
    const turn = 'msteams/conversations/a:ada/users/29:ada';
    expect(await stores.flowLocks.tryAcquire(turn, 'turn-1', 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    // An expired claim taken again is a live lock now.
    expect(await stores.flowLocks.tryAcquire('sso-exchange/msteams/a:ada/exchange-1', 'again', 60_000)).toBe(true);

    expect(await stores.flowLocks.pruneExpired(10)).toBe(10);
    expect(await stores.flowLocks.pruneExpired(100)).toBe(14);
    expect(await stores.flowLocks.pruneExpired(100)).toBe(0);
    expect(await stores.flowLocks.tryAcquire(turn, 'turn-2', 60_000)).toBe(false); // still held by turn-1
    expect(await stores.flowLocks.tryAcquire('sso-exchange/msteams/a:ada/exchange-1', 'later', 60_000)).toBe(false);
  }, 60_000);
});

describe('the process\'s lock housekeeping', () => {
  test('prunes the expired locks of every SSO exchange, with no approvals sweep', async () => {
    const dir = tempDataDir();
    const stores = openSqliteStateStores(dir);
    const claims = exchangeClaims(stores.flowLocks, 1);
    for (let i = 0; i < 500; i++) await claims.write({ [`msteams/a:ada/exchange-${i}`]: { eTag: `exchange-${i}` } });
    await new Promise((r) => setTimeout(r, 20));
    const pruning = new StoreHousekeeping(stores, createLogger('silent'), { everyMs: 10 });
    const rows = () => {
      const db = new Database(path.join(dir, 'bot.sqlite'), { readonly: true });
      try { return (db.prepare('SELECT COUNT(*) AS n FROM flow_locks').get() as { n: number }).n; } finally { db.close(); }
    };
    pruning.start();
    // Three passes of 200 (the first at the start), however slow the machine: no fixed wait.
    for (const deadline = Date.now() + 10_000; rows() > 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
    await pruning.stop();
    expect(rows()).toBe(0);
    await stores.close();
  });
});
